import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { normaliseBase64url } from '../../../shared/base64url';
import { PasskeyDeskError } from '../../../shared/errors';
import { writeFileAtomic } from '../../fs/atomic';
import { withLock } from '../../fs/lock';
import { guidedStoreChoices, isGuidedStoreId } from './cards';
import type { DeletionMark } from './marks-match';
import { readDataFile } from '../../fs/errors';

/**
 * "I deleted it there" marks for stores no program can read, kept in the data folder. The journal entry for a
 * mark is the service layer's job; this module only records, lists and withdraws marks.
 */

export const MARKS_FILE = 'guided-marks.json';
const FORMAT = 'passkey-desk-guided-marks';
const VERSION = 1;
const LOCK = 'guided-marks';

const mark = z.object({
  id: z.string(),
  store: z.string(),
  rpId: z.string(),
  credentialId: z.string().nullable(),
  userHandle: z.string().nullable(),
  markedAt: z.string(),
});
const file = z.object({ format: z.literal(FORMAT), version: z.number().int(), marks: z.array(mark) });

export interface MarkInput {
  store: string;
  rpId: string;
  credentialId?: string | null;
  userHandle?: string | null;
}

export interface DeletionMarksOptions {
  dataDir: string;
  now?: () => Date;
}

function invalid(message: string): PasskeyDeskError {
  return new PasskeyDeskError('INVALID_INPUT', message);
}

function canonicalId(value: string | null | undefined, what: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  try {
    return normaliseBase64url(value);
  } catch {
    throw invalid(`The ${what} "${value.slice(0, 40)}" is not base64url.`);
  }
}

export class DeletionMarks {
  private readonly path: string;
  private readonly now: () => Date;

  constructor(private readonly options: DeletionMarksOptions) {
    this.path = join(options.dataDir, MARKS_FILE);
    this.now = options.now ?? (() => new Date());
  }

  async list(): Promise<DeletionMark[]> {
    const text = await readDataFile(this.path);
    if (text === null) return [];
    const parsed = file.safeParse(
      (() => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          return null;
        }
      })(),
    );
    if (!parsed.success) {
      throw new PasskeyDeskError(
        'DATA_CORRUPT',
        `${MARKS_FILE} in the data folder is damaged. Delete it and mark the passkeys again.`,
        { file: MARKS_FILE },
      );
    }
    if (parsed.data.version > VERSION) {
      throw new PasskeyDeskError(
        'DATA_TOO_NEW',
        `${MARKS_FILE} was written by a newer Passkey Desk. Update Passkey Desk.`,
        { file: MARKS_FILE },
      );
    }
    return parsed.data.marks;
  }

  /**
   * The mark `input` asks for, checked and normalised (no id or date yet). Throws INVALID_INPUT for a store,
   * site, credential ID or user handle that cannot be right: callers check before journaling the mark.
   */
  check(input: MarkInput): Omit<DeletionMark, 'id' | 'markedAt'> {
    if (!isGuidedStoreId(input.store))
      throw invalid(
        `"${input.store}" is not a store Passkey Desk guides you through. Use one of: ${guidedStoreChoices()}.`,
      );
    const rpId = input.rpId.trim().toLowerCase();
    if (!/^[a-z0-9.-]{1,253}$/.test(rpId))
      throw invalid(`"${input.rpId}" is not an RP ID (a domain such as example.com).`);
    return {
      store: input.store,
      rpId,
      credentialId: canonicalId(input.credentialId, 'credential ID'),
      userHandle: canonicalId(input.userHandle, 'user handle'),
    };
  }

  /** Records that the user deleted a passkey (or every passkey of an account) in a store no program can read. */
  async record(input: MarkInput): Promise<DeletionMark> {
    const wanted = this.check(input);
    let recorded: DeletionMark | undefined;
    await this.mutate((marks) => {
      // Marking the same passkey again refreshes the mark's date instead of piling up duplicates; it keeps its
      // id, so the undo command printed the first time still works.
      const same = marks.find(
        (m) =>
          m.store === wanted.store &&
          m.rpId === wanted.rpId &&
          m.credentialId === wanted.credentialId &&
          m.userHandle === wanted.userHandle,
      );
      recorded = { ...wanted, id: same?.id ?? randomUUID(), markedAt: this.now().toISOString() };
      return [...marks.filter((m) => m !== same), recorded];
    });
    return recorded!;
  }

  /** Withdraws a mark (the user marked the wrong passkey). */
  async remove(id: string): Promise<DeletionMark> {
    let removed: DeletionMark | undefined;
    await this.mutate((marks) => {
      removed = marks.find((m) => m.id === id);
      return marks.filter((m) => m.id !== id);
    });
    if (!removed) throw new PasskeyDeskError('NOT_FOUND', `No "deleted there" mark has the id ${id}.`);
    return removed;
  }

  private async mutate(change: (marks: DeletionMark[]) => DeletionMark[]): Promise<void> {
    await withLock(this.options.dataDir, LOCK, async () => {
      const marks = change(await this.list());
      await writeFileAtomic(this.path, `${JSON.stringify({ format: FORMAT, version: VERSION, marks })}\n`);
    });
  }
}
