/**
 * accounts.json as it is read back: a damaged, newer or inconsistent file is refused with an error that says
 * what is wrong and what to do, and the file is left as it was.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNTS_FILE, AccountRecords } from '../../src/main/accounts/account-records';
import { accountRecord } from '../helpers/account-record';
import { PasskeyDeskError } from '../../src/shared/errors';

const record = accountRecord;

async function refusal(records: AccountRecords): Promise<PasskeyDeskError> {
  const error: unknown = await records.list().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PasskeyDeskError);
  return error as PasskeyDeskError;
}

describe('accounts.json', () => {
  let dir: string;
  let records: AccountRecords;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pkd-accounts-'));
    records = new AccountRecords(dir);
  });

  it('round-trips records, replacing one with the same id', async () => {
    expect(await records.list()).toEqual([]);
    await records.put(record('a1', 'ana'));
    await records.put(record('b2', 'ben'));
    await records.put(record('a1', 'ana.new'));
    expect((await records.list()).map((r) => [r.id, r.userName])).toEqual([
      ['b2', 'ben'],
      ['a1', 'ana.new'],
    ]);
    await records.remove('b2');
    expect((await records.list()).map((r) => r.id)).toEqual(['a1']);
  });

  it('refuses a file that is not an account list, saying to move it aside', async () => {
    await writeFile(join(dir, ACCOUNTS_FILE), '{"format": "passkey-desk-accounts", "accounts": [');
    const e = await refusal(records);
    expect(e.code).toBe('DATA_CORRUPT');
    expect(e.message).toMatch(/accounts\.json .* is damaged .* Move it aside/);
  });

  it('refuses a file from a newer version, saying to update', async () => {
    const text = JSON.stringify({ format: 'passkey-desk-accounts', version: 2, accounts: [] });
    await writeFile(join(dir, ACCOUNTS_FILE), text);
    const e = await refusal(records);
    expect(e.code).toBe('DATA_TOO_NEW');
    expect(e.message).toContain('Update Passkey Desk');
  });

  it('refuses two records with one id, naming it, and changes nothing on a write attempt', async () => {
    const text = JSON.stringify({
      format: 'passkey-desk-accounts',
      version: 1,
      accounts: [record('a1', 'ana'), record('b2', 'ben'), record('a1', 'ana.other')],
    });
    await writeFile(join(dir, ACCOUNTS_FILE), text);
    const e = await refusal(records);
    expect(e.code).toBe('DATA_CORRUPT');
    expect(e.message).toContain('lists the account id "a1" twice');
    expect(e.details).toMatchObject({ accountId: 'a1' });
    await expect(records.put(record('c3', 'cy'))).rejects.toThrow(/twice/);
    await expect(records.get('b2')).rejects.toThrow(/twice/);
    expect(await readFile(join(dir, ACCOUNTS_FILE), 'utf8')).toBe(text);
  });
});
