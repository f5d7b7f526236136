/**
 * Can this computer reach the account's server? Any HTTP answer counts (even an error page): the question is the
 * network, not the site. A phone sign-in (QR) also needs both devices online.
 */
import type { Check, DoctorContext, Finding } from '../../shared/doctor';
import { finding } from '../../shared/doctor';

export interface ReachabilityOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

const CHECK = 'server-reachable' as const;

export async function reachabilityFindings(
  serverUrl: string | null,
  options: ReachabilityOptions = {},
): Promise<Finding[]> {
  const base = { id: CHECK, check: CHECK };
  if (serverUrl === null) {
    return [
      finding({
        ...base,
        verdict: 'unknown',
        title: 'No server to test',
        explanation:
          'Pick an account to test whether this computer reaches its server. Signing in with a phone also needs both devices online.',
        likelihood: 0.2,
      }),
    ];
  }
  let origin: string;
  try {
    origin = new URL(serverUrl).origin;
  } catch {
    return [
      finding({
        ...base,
        verdict: 'unknown',
        title: 'The server address is not a URL',
        explanation: `"${serverUrl}" is not a web address.`,
        likelihood: 0.2,
      }),
    ];
  }
  const timeoutMs = options.timeoutMs ?? 5000;
  const now = options.now ?? Date.now;
  const started = now();
  const target = `${origin}/.well-known/passkey-endpoints`;
  try {
    const res = await (options.fetch ?? fetch)(target, {
      method: 'GET',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    return [
      finding({
        ...base,
        verdict: 'ok',
        title: "The account's server answers",
        explanation: `This computer reached ${origin}.`,
        evidence: [
          { label: 'Server', value: origin },
          { label: 'Answer', value: `HTTP ${res.status} in ${now() - started} ms` },
        ],
        likelihood: 0.8,
      }),
    ];
  } catch (e) {
    const why = failureWords(e, timeoutMs);
    return [
      finding({
        ...base,
        verdict: 'problem',
        title: "This computer cannot reach the account's server",
        explanation: `${origin} did not answer (${why}). Signing in needs the server; signing in with a phone needs both devices online as well.`,
        evidence: [
          { label: 'Server', value: origin },
          { label: 'Error', value: why },
        ],
        fix: {
          kind: 'steps',
          label: 'Get online',
          steps: [
            'Check the network connection (Wi-Fi, cable, VPN, proxy).',
            'Open the site in a browser on this computer.',
            'If only this site fails, it may be down: try again later.',
          ],
        },
        likelihood: 0.9,
      }),
    ];
  }
}

function failureWords(e: unknown, timeoutMs: number): string {
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError'))
    return `no answer within ${timeoutMs} ms`;
  const cause = e instanceof Error ? (e.cause as { code?: string } | undefined) : undefined;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the name does not resolve (offline, or DNS fails)';
    case 'ECONNRESET':
      return 'the connection was reset';
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return 'no route to the network';
    default:
      return cause?.code ?? (e instanceof Error ? e.message : String(e));
  }
}

export function reachabilityCheck(options: ReachabilityOptions = {}): Check<DoctorContext> {
  return {
    id: CHECK,
    title: "The account's server is reachable",
    run: (ctx) => reachabilityFindings(ctx.serverUrl, options),
  };
}
