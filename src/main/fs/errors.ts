import { readFile } from 'node:fs/promises';
import { PasskeyDeskError } from '../../shared/errors';

/**
 * File-system failures a user can meet and fix (permissions, a full disk, a read-only mount) as what they are,
 * naming the file and what to do: `DATA_UNAVAILABLE` (CLI exit 5), never an "unexpected error" (exit 70). Any
 * other error is returned as it is.
 */
export function fsError(e: unknown, path: string, doing: 'read' | 'write'): unknown {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  const cannot = `Passkey Desk cannot ${doing} ${path}`;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return new PasskeyDeskError(
        'DATA_UNAVAILABLE',
        `${cannot}: permission denied (${code}). Its data folder must belong to the user running Passkey Desk: fix the owner or permissions, or set PASSKEY_DESK_HOME to a folder you own.`,
        { path, errno: code },
      );
    case 'EROFS':
      return new PasskeyDeskError(
        'DATA_UNAVAILABLE',
        `${cannot}: it is on a read-only file system. Remount it writable, or set PASSKEY_DESK_HOME to a writable folder.`,
        { path, errno: code },
      );
    case 'ENOSPC':
    case 'EDQUOT':
      return new PasskeyDeskError(
        'DATA_UNAVAILABLE',
        `${cannot}: the disk is full (${code}). Free some space and try again; files Passkey Desk replaces whole were left as they were.`,
        { path, errno: code },
      );
    case 'EISDIR':
      return new PasskeyDeskError(
        'DATA_UNAVAILABLE',
        `${cannot}: it is a folder where Passkey Desk keeps a file. Move it away and try again.`,
        { path, errno: code },
      );
    case 'ENOTDIR':
      return new PasskeyDeskError(
        'DATA_UNAVAILABLE',
        `${cannot}: a folder above it is a file, but Passkey Desk keeps its data in a folder there. Point PASSKEY_DESK_HOME at a folder, or move the file away.`,
        { path, errno: code },
      );
    default:
      // Any other system error on a data file (EIO, ELOOP, ENAMETOOLONG, …) is the disk's or the path's, not a bug.
      if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code))
        return new PasskeyDeskError(
          'DATA_UNAVAILABLE',
          `${cannot}: the system refused with ${code} (${(e as Error).message}). Check the disk and the data folder, then try again.`,
          { path, errno: code },
        );
      return e;
  }
}

/** A data file's text, or null when it does not exist yet; other failures as `fsError` says. */
export async function readDataFile(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw fsError(e, path, 'read');
  }
}
