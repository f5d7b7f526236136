/**
 * The connected accounts, kept in `accounts.json` in the data folder (atomic writes, one writer at a time across
 * processes). Records hold no secrets: session tokens live in the OS keyring (see sessions.ts).
 */
import { join } from 'node:path';
import { z } from 'zod';
import { PasskeyDeskError } from '../../shared/errors';
import { writeFileAtomic } from '../fs/atomic';
import { withLock } from '../fs/lock';
import type { AccountRecord } from './types';
import { readDataFile } from '../fs/errors';

export const ACCOUNTS_FILE = 'accounts.json';
const FORMAT = 'passkey-desk-accounts';
const VERSION = 1;
const LOCK = 'accounts';

const endpoints = z.object({
  registrationOptions: z.string(),
  registrationVerify: z.string(),
  authenticationOptions: z.string(),
  authenticationVerify: z.string(),
  passkeys: z.string(),
  acceptedCredentials: z.string(),
  currentUser: z.string(),
  signOut: z.string(),
  desktopAuthorize: z.string().nullable(),
  desktopToken: z.string().nullable(),
});
const record = z.object({
  id: z.string(),
  connector: z.literal('reference-server'),
  serverUrl: z.string(),
  rpId: z.string(),
  rpName: z.string().nullable(),
  origin: z.string(),
  enroll: z.string().nullable(),
  manage: z.string().nullable(),
  endpoints,
  userName: z.string(),
  userDisplayName: z.string().nullable(),
  userHandle: z.string(),
  addedAt: z.string(),
});
const file = z.object({ format: z.literal(FORMAT), version: z.number().int(), accounts: z.array(record) });

export class AccountRecords {
  readonly path: string;

  constructor(private readonly dataDir: string) {
    this.path = join(dataDir, ACCOUNTS_FILE);
  }

  async list(): Promise<AccountRecord[]> {
    const text = await readDataFile(this.path);
    if (text === null) return [];
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // reported below
    }
    const parsed = file.safeParse(json);
    if (!parsed.success) {
      throw new PasskeyDeskError(
        'DATA_CORRUPT',
        `${ACCOUNTS_FILE} in the data folder is damaged (expected a Passkey Desk account list). Move it aside and add the accounts again.`,
        { file: ACCOUNTS_FILE },
      );
    }
    if (parsed.data.version > VERSION) {
      throw new PasskeyDeskError(
        'DATA_TOO_NEW',
        `${ACCOUNTS_FILE} was written by a newer Passkey Desk (format ${parsed.data.version}, this one reads ${VERSION}). Update Passkey Desk.`,
        { file: ACCOUNTS_FILE },
      );
    }
    // `put` keeps ids unique; two records with one id (a hand edit, a bad merge) would make `get` and the
    // reconcile disagree about which one an action targets, and would merge their last-passkey counts.
    const seen = new Set<string>();
    for (const account of parsed.data.accounts) {
      if (seen.has(account.id)) {
        throw new PasskeyDeskError(
          'DATA_CORRUPT',
          `${ACCOUNTS_FILE} in the data folder lists the account id "${account.id}" twice. Remove one of the two entries (or move the file aside and add the accounts again).`,
          { file: ACCOUNTS_FILE, accountId: account.id },
        );
      }
      seen.add(account.id);
    }
    return parsed.data.accounts;
  }

  async get(id: string): Promise<AccountRecord> {
    const found = (await this.list()).find((a) => a.id === id);
    if (!found)
      throw new PasskeyDeskError(
        'NOT_FOUND',
        `No connected account has the id "${id}". Run \`passkey-desk accounts list\` to see them.`,
        { accountGone: id },
      );
    return found;
  }

  /** Adds or replaces (same id) one record. */
  async put(next: AccountRecord): Promise<void> {
    await this.mutate((all) => [...all.filter((a) => a.id !== next.id), next]);
  }

  async remove(id: string): Promise<void> {
    await this.mutate((all) => all.filter((a) => a.id !== id));
  }

  private async mutate(change: (all: AccountRecord[]) => AccountRecord[]): Promise<void> {
    await withLock(this.dataDir, LOCK, async () => {
      const accounts = change(await this.list());
      await writeFileAtomic(
        this.path,
        `${JSON.stringify({ format: FORMAT, version: VERSION, accounts }, null, 2)}\n`,
      );
    });
  }
}
