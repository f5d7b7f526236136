import lockfile from 'proper-lockfile';
import { PasskeyDeskError } from '../../shared/errors';
import { ensureDir } from './atomic';
import { fsError } from './errors';

/** A lock whose heartbeat (every 2 s) stopped this long ago belongs to a process that is gone. */
const STALE_MS = 10_000;

/**
 * Serialises writers across processes (the CLI may run while the app is open). proper-lockfile uses an atomic
 * mkdir plus an mtime heartbeat, so a lock left by a crashed process goes stale and is taken over.
 * `fn` gets `lost`: null while the lock is held, else why it was lost (a long task checks it before each step
 * and stops, rather than go on beside the process that took the lock over). A loss is thrown once `fn` is done,
 * with `details.lost` set.
 */
export async function withLock<T>(
  dataDir: string,
  name: string,
  fn: (lost: () => Error | null) => Promise<T>,
): Promise<T> {
  await ensureDir(dataDir);
  let release: () => Promise<void>;
  // The heartbeat found the lock gone or taken over: another process judged it stale (this one was blocked for
  // longer than `stale`, e.g. behind a keyring prompt) and took it, or the lock folder was removed. The other
  // process may have written meanwhile. proper-lockfile's default throws from a timer, which ends the process;
  // recorded instead and reported once `fn` is done (`fn`'s own write has happened by then: the message says to
  // check the result).
  let compromised: Error | null = null;
  try {
    // Keyed by name (proper-lockfile keeps one lock per path it is given): locks of one folder can nest.
    release = await lockfile.lock(`${dataDir}/${name}`, {
      realpath: false,
      lockfilePath: `${dataDir}/${name}.lock`,
      stale: STALE_MS,
      update: 2_000,
      retries: { retries: 40, factor: 1.3, minTimeout: 25, maxTimeout: 500 },
      onCompromised: (e) => {
        compromised = e;
      },
    });
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ELOCKED') {
      throw new PasskeyDeskError(
        'LOCKED_BY_OTHER_PROCESS',
        `Another Passkey Desk process is changing ${name} in ${dataDir}. Wait for it to finish and try again.`,
        { lock: `${dataDir}/${name}`, busy: true },
      );
    }
    throw fsError(e, `${dataDir}/${name}.lock`, 'write');
  }
  let value: T;
  try {
    value = await fn(() => compromised);
  } finally {
    await release().catch((e: unknown) => {
      compromised ??= e as Error;
    });
  }
  if (compromised !== null)
    throw new PasskeyDeskError(
      'LOCKED_BY_OTHER_PROCESS',
      `Passkey Desk lost its hold on ${name} in ${dataDir} while it worked (${(compromised as Error).message}), so another process may have changed it at the same time. Check the result (passkey-desk inventory, passkey-desk journal) and try again if something is missing.`,
      { lock: `${dataDir}/${name}`, lost: true, cause: (compromised as Error).message },
    );
  return value;
}

/**
 * Whether some process holds the lock now: its heartbeat is fresh (a holder that died stops refreshing it, and it
 * reads as free `stale` ms later).
 */
export async function lockHeld(dataDir: string, name: string): Promise<boolean> {
  try {
    return await lockfile.check(`${dataDir}/${name}`, {
      realpath: false,
      lockfilePath: `${dataDir}/${name}.lock`,
      stale: STALE_MS,
    });
  } catch {
    return false;
  }
}
