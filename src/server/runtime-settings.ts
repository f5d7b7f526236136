/**
 * Process settings of `npm run server`, imported first by main.ts (before anything can start libuv's thread pool,
 * whose size libuv reads at its first job). docs/server-benchmarks.md has the measurements behind each.
 *
 * - One libuv thread, unless the operator set UV_THREADPOOL_SIZE. The server's only thread-pool work is the
 *   signature checks of sign-ins (webauthn/signature-ahead.ts); everything else it does on disk is synchronous.
 *   One thread checks about 22,000 signatures a second, more than the main thread can feed it, and on the 2-vCPU
 *   benchmark machine one thread gave 10,000–10,800 sign-ins/s against 9,100–9,400/s with libuv's default four,
 *   at less CPU per sign-in.
 * - The old generation collected at 30% above what the last full collection left live
 *   (`--heap-growing-percent=30`, unless given on the command line). V8 otherwise let it grow to about four
 *   times the live data first, and the resident size rose with every sign-in (189 MB after 60,000 instead of
 *   139 MB). V8 reads this flag whenever it sets the next threshold, so it can be set here, at run time.
 * - The young generation's cap (`--max-semi-space-size=2`) is read only at start-up, so `npm run server` passes
 *   it on the command line; `youngGenerationNotice` says so when it is missing.
 */
import { setFlagsFromString } from 'node:v8';

process.env.UV_THREADPOOL_SIZE ??= '1';

const given = (flag: string): boolean =>
  process.execArgv.some((a) => a.startsWith(flag)) || (process.env.NODE_OPTIONS ?? '').includes(flag);

if (!given('--heap-growing-percent')) setFlagsFromString('--heap-growing-percent=30');

/** A line for stderr when the young generation is not capped, else null. */
export const youngGenerationNotice: string | null = given('--max-semi-space-size')
  ? null
  : 'Note: started without --max-semi-space-size=2 (npm run server passes it): under a stream of sign-ins V8 ' +
    'may keep about 30 MB more resident. Run `node --max-semi-space-size=2 dist/server/main.js`.';
