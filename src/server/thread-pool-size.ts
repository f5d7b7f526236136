/**
 * Imported first by main.ts, before anything can queue work in libuv's thread pool (libuv reads the size when
 * the pool starts, at its first job). The server's only pool work is the signature checks of sign-ins
 * (webauthn/signature-ahead.ts); everything else it does on disk is synchronous. One thread checks about 22,000
 * signatures a second, more than the main thread can feed it, and on the 2-vCPU benchmark machine one thread
 * gave 10,000–10,800 sign-ins/s against 9,100–9,400/s with libuv's default four, at less CPU per sign-in
 * (docs/server-benchmarks.md). An operator's own UV_THREADPOOL_SIZE is kept.
 */
process.env.UV_THREADPOOL_SIZE ??= '1';
