import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { PasskeyDeskError } from '../../shared/errors';
import { fsError } from './errors';

/**
 * Creates a data folder (and the ones above it). A file where a folder must be (PASSKEY_DESK_HOME pointed at a
 * file) is the user's to fix, not a bug: say which path and what to do.
 */
export async function ensureDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR') throw fsError(e, dir, 'write');
    throw new PasskeyDeskError(
      'DATA_UNAVAILABLE',
      `${dir} (or a folder above it) is a file, but Passkey Desk keeps its data in a folder there. Point PASSKEY_DESK_HOME at a folder, or move the file away.`,
    );
  }
}

/**
 * Writes a file so that readers see either the old or the new content, never a half-written one, even after a
 * crash or power loss: write a temp file in the same folder, fsync it, rename over the target, fsync the folder.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  const dir = dirname(path);
  await ensureDir(dir);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (e) {
    // A full disk or a refused rename leaves no half-written temp file behind; the target is untouched.
    await rm(tmp, { force: true }).catch(() => undefined);
    throw fsError(e, path, 'write');
  }
  await syncDir(dir);
}

/** fsync a folder so a rename in it survives a crash. Not supported on Windows (EPERM/EISDIR): harmless there. */
export async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Appends one line and fsyncs it before returning: a journal line is on disk before the step it announces runs.
 * A file that ends mid-line (power lost during an earlier append, a full disk) gets a line break first, so the
 * new line is never glued to the torn one and lost with it; `writeFile` writes it whole (a short write is retried).
 */
export async function appendLineDurable(path: string, line: string): Promise<void> {
  await ensureDir(dirname(path));
  try {
    const handle = await open(path, 'a+', 0o600);
    try {
      const { size } = await handle.stat();
      let torn = false;
      if (size > 0) {
        const last = Buffer.alloc(1);
        await handle.read(last, 0, 1, size - 1);
        torn = last[0] !== 0x0a;
      }
      const text = line.endsWith('\n') ? line : `${line}\n`;
      await handle.writeFile(torn ? `\n${text}` : text);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (e) {
    throw fsError(e, path, 'write');
  }
}
