/**
 * The load generator, run as a separate process so it does not share the server's event loop:
 *   1. asks the server for N sign-in challenges (POST /api/authentication/options) — real, single-use ones;
 *   2. signs one assertion per challenge with the seeded keys (ES256, counter 0, UV);
 *   3. fires the N verifications at the server with autocannon, each body used exactly once.
 * Prints one JSON line with the results.
 */
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { SeededKey } from './server-seed';

interface AutocannonResult {
  duration: number;
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latency: { p50: number; p99: number; average: number };
}
interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  pipelining: number;
  amount: number;
  requests: AutocannonRequest[];
  timeout?: number;
  sampleInt?: number;
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const [url, origin, rpId, keyFile, amountText, connectionsText, pipeliningText] = process.argv.slice(2);
if (!url || !origin || !rpId || !keyFile)
  throw new Error('usage: server-load.ts URL ORIGIN RP_ID KEY_FILE AMOUNT CONNECTIONS [PIPELINING]');
const amount = Number(amountText ?? 20_000);
const connections = Number(connectionsText ?? 16);
const pipelining = Number(pipeliningText ?? 1);
// autocannon builds one request per connection before sending anything and may build ahead while pipelining; those
// bodies are never sent. Spare assertions (with their own challenges) cover them, so no body is ever sent twice.
const spare = connections * (pipelining + 1);

const keys = (JSON.parse(readFileSync(keyFile, 'utf8')) as SeededKey[]).map((k) => ({
  ...k,
  key: createPrivateKey({ key: Buffer.from(k.pkcs8, 'base64'), format: 'der', type: 'pkcs8' }),
}));

async function challenges(count: number): Promise<string[]> {
  const out: string[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next++;
      const res = await fetch(`${url}/api/authentication/options`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      if (!res.ok) throw new Error(`options: HTTP ${res.status} ${await res.text()}`);
      out.push(((await res.json()) as { challenge: string }).challenge);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
  return out;
}

const rpIdHash = createHash('sha256').update(rpId).digest();
function assertion(challenge: string, i: number): string {
  const k = keys[i % keys.length]!;
  const clientData = Buffer.from(
    JSON.stringify({ type: 'webauthn.get', challenge, origin, crossOrigin: false }),
  );
  const authData = Buffer.alloc(37);
  rpIdHash.copy(authData);
  authData[32] = 0x01 | 0x04 | 0x08 | 0x10; // UP UV BE BS
  const signature = sign(
    'sha256',
    Buffer.concat([authData, createHash('sha256').update(clientData).digest()]),
    k.key,
  );
  return JSON.stringify({
    response: {
      id: k.id,
      rawId: k.id,
      type: 'public-key',
      response: {
        clientDataJSON: clientData.toString('base64url'),
        authenticatorData: authData.toString('base64url'),
        signature: signature.toString('base64url'),
        userHandle: k.userHandle,
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    },
  });
}

const t0 = performance.now();
const issued = await challenges(amount + spare);
const t1 = performance.now();
const bodies = issued.map(assertion);
let cursor = 0;
// autocannon reports whole seconds; time the run here for a usable rate.
// Tells the parent when sending starts and ends, so it can read the server's CPU time over exactly that span.
console.log('phase: sending');
const t2 = performance.now();
const cpu0 = process.cpuUsage();
const result = await autocannon({
  url,
  connections,
  pipelining,
  amount,
  timeout: 30,
  // autocannon notices that the last response came in only at its next sample tick (1 s by default), which
  // rounded every run up to whole seconds (30,000 sign-ins measured as exactly 5,000/s or 6,000/s).
  sampleInt: 10,
  requests: [
    {
      method: 'POST',
      path: '/api/authentication/verify',
      headers: { 'content-type': 'application/json' },
      // Each pre-signed body is sent once: the challenge inside it is single-use on the server.
      setupRequest: (request) => {
        if (cursor >= bodies.length) throw new Error('ran out of pre-signed assertions');
        request.body = bodies[cursor++]!;
        return request;
      },
    },
  ],
});
const seconds = (performance.now() - t2) / 1000;
console.log('phase: sent');
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    optionsPerSecond: (amount + spare) / ((t1 - t0) / 1000),
    verified: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationSeconds: seconds,
    // Share of one core the load generator itself used while sending: near 1 means it, not the server, is the limit.
    loadGeneratorCpu: (cpu.user + cpu.system) / 1e6 / seconds,
    verificationsPerSecond: result['2xx'] / seconds,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, average: result.latency.average },
  }),
);
