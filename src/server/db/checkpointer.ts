/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever COMMIT crosses the
 * threshold, on the committing thread, and with synchronous=NORMAL it fsyncs the WAL and the database file: on a
 * busy disk that one commit took from 4 ms to over 30 ms, stalling every request queued behind it. Here a worker
 * thread with its own connection runs PASSIVE checkpoints (which never block the writer) every few hundred ms,
 * and the server's connection keeps only a high automatic threshold. Under a sustained stream of writes a PASSIVE
 * checkpoint never catches up with the last frame, so the WAL cannot restart until a pause; the writer's own
 * checkpoint at that threshold then bounds it (with 10x fewer in-request fsyncs than SQLite's default of 1,000 pages).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface Checkpointer {
  stop(): void;
}

/** Pages of WAL after which the writer checkpoints by itself (about 40 MB): only if the worker is not keeping up. */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

// An eval'd CommonJS worker: the server is also run as one esbuild bundle, which has no separate worker file.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Libsql = require(workerData.libsql);
const db = new Libsql(workerData.path);
db.exec('PRAGMA busy_timeout = 5000');
db.exec('PRAGMA synchronous = NORMAL');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try {
    const r = checkpoint.all()[0];
    if (workerData.report && r && r.checkpointed > 0) parentPort.postMessage({ checkpointed: r.checkpointed });
  } catch (e) { parentPort.postMessage({ error: String(e && e.message || e) }); }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  try { checkpoint.all(); } catch {}
  db.close();
  parentPort.close();
});
`;

export interface CheckpointerOptions {
  intervalMs?: number;
  onError?: (message: string) => void;
  /** Called with the number of WAL frames each checkpoint copied back (tests). */
  onCheckpoint?: (frames: number) => void;
}

export function startCheckpointer(path: string, options: CheckpointerOptions = {}): Checkpointer {
  const libsql = createRequire(import.meta.url).resolve('libsql');
  const workerData = {
    path,
    libsql,
    intervalMs: options.intervalMs ?? 250,
    report: options.onCheckpoint !== undefined,
  };
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
  // Never keeps the process alive; on error the writer's own (higher) automatic checkpoint still bounds the WAL.
  worker.unref();
  worker.on('message', (m: { error?: string; checkpointed?: number }) => {
    if (m.error !== undefined) options.onError?.(m.error);
    if (m.checkpointed !== undefined) options.onCheckpoint?.(m.checkpointed);
  });
  worker.on('error', (e) => options.onError?.(e.message));
  return {
    stop() {
      worker.postMessage('stop');
    },
  };
}
