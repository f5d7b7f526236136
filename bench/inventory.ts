/**
 * `npm run bench`: inventory of a 10,000-passkey vault (in process, through the same handler the app and CLI
 * use) and the CLI's cold start to JSON output, against `node -e 0` as the floor. Goals on 2 cores: inventory
 * < 300 ms, CLI cold start < 300 ms. Not a test: it prints figures.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { toBase64url } from '../src/shared/base64url';
import { createDefaultServices } from '../src/main/compose';
import { generateEs256, newVaultKey, seal } from '../src/main/stores/vault/vault-crypto';
import { saveVault, vaultPath, VAULT_FORMAT_VERSION } from '../src/main/stores/vault/vault-file';
import type { VaultRecord } from '../src/main/stores/vault/vault-file';

const N = Number(process.env.BENCH_PASSKEYS ?? 10_000);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function seedVault(dataDir: string, n: number): Promise<void> {
  const key = newVaultKey();
  const { privateKeyPkcs8, publicKeyCose } = generateEs256();
  const passkeys: VaultRecord[] = [];
  for (let i = 0; i < n; i++) {
    const credentialId = toBase64url(randomBytes(32));
    const rpId = `site${i % 700}.example`;
    passkeys.push({
      credentialId,
      rpId,
      userHandle: toBase64url(randomBytes(16)),
      userName: `user${i}@example.com`,
      userDisplayName: `User ${i}`,
      nickname: i % 10 === 0 ? `Nickname ${i}` : null,
      createdAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
      lastUsedAt: i % 3 === 0 ? new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString() : null,
      signCount: i % 50,
      algorithm: -7,
      publicKey: toBase64url(publicKeyCose),
      privateKey: seal(key, privateKeyPkcs8, `passkey-desk/v1|${rpId}|${credentialId}`),
      trashedAt: null,
      origin: 'created',
    });
  }
  await saveVault(vaultPath(dataDir), {
    format: 'passkey-desk-vault',
    version: VAULT_FORMAT_VERSION,
    keyId: 'bench',
    passkeys,
    purged: [],
  });
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pkd-bench-'));
  await seedVault(dataDir, N);
  const services = createDefaultServices({ dataDir, shell: 'cli' });
  const times: number[] = [];
  let count = 0;
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    const inv = await services.handlers['inventory.get']({});
    times.push(performance.now() - t);
    count = inv.passkeys.length;
  }
  if (count !== N) throw new Error(`expected ${N} passkeys, listed ${count}`);

  execFileSync(process.execPath, ['scripts/build.mjs', 'cli']);
  const env = { ...process.env, PASSKEY_DESK_HOME: dataDir };
  const wall = (args: string[], check?: (out: string) => void) => {
    const xs: number[] = [];
    for (let i = 0; i < 11; i++) {
      const t = performance.now();
      const r = spawnSync(process.execPath, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      xs.push(performance.now() - t);
      if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
      check?.(r.stdout);
    }
    return median(xs);
  };
  const floor = wall(['-e', '0']);
  const cliFull = wall(['bin/passkey-desk.js', 'inventory', '--json'], (out) => {
    if ((JSON.parse(out) as unknown[]).length !== N) throw new Error('CLI listed the wrong number');
  });
  const emptyHome = mkdtempSync(join(tmpdir(), 'pkd-bench-'));
  const cliEmpty = (() => {
    const saved = env.PASSKEY_DESK_HOME;
    env.PASSKEY_DESK_HOME = emptyHome;
    const m = wall(['bin/passkey-desk.js', 'inventory', '--json']);
    env.PASSKEY_DESK_HOME = saved;
    return m;
  })();

  const inv = median(times);
  console.log(`passkeys in vault:                       ${N}`);
  console.log(`inventory (in process), median of 15:    ${inv.toFixed(1)} ms   (goal < 300 ms)`);
  console.log(`node -e 0, median of 11:                 ${floor.toFixed(1)} ms`);
  console.log(
    `CLI inventory --json, empty data folder: ${cliEmpty.toFixed(1)} ms   (${(cliEmpty / floor).toFixed(2)}× node -e 0)`,
  );
  console.log(
    `CLI inventory --json, ${N} passkeys:   ${cliFull.toFixed(1)} ms   (${(cliFull / floor).toFixed(2)}× node -e 0; goal < 300 ms)`,
  );
}

await main();
