import lockfile from 'proper-lockfile';
import { PasskeyDeskError } from '../../shared/errors';
import { ensureDir } from './atomic';
import { fsError } from './errors';

/**
 * Serialises writers across processes (the CLI may run while the app is open). proper-lockfile uses an atomic
 * mkdir plus an mtime heartbeat, so a lock left by a crashed process goes stale and is taken over.
 */
export async function withLock<T>(dataDir: string, name: string, fn: () => Promise<T>): Promise<T> {
  await ensureDir(dataDir);
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dataDir, {
      lockfilePath: `${dataDir}/${name}.lock`,
      stale: 10_000,
      update: 2_000,
      retries: { retries: 40, factor: 1.3, minTimeout: 25, maxTimeout: 500 },
    });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ELOCKED') {
      throw new PasskeyDeskError(
        'LOCKED_BY_OTHER_PROCESS',
        `Another Passkey Desk process is changing ${name} in ${dataDir}. Wait for it to finish and try again.`,
      );
    }
    throw fsError(e, `${dataDir}/${name}.lock`, 'write');
  }
  try {
    return await fn();
  } finally {
    await release();
  }
}
