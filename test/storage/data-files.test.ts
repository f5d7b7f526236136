/**
 * The data folder on a bad day: a journal whose last line was torn (power lost mid-append, a full disk), and
 * file-system failures a user can fix (permissions, a full disk, a read-only mount, a folder where a file
 * belongs), which must read as what they are (DATA_UNAVAILABLE, naming the file), never as a bug.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/main/fs/atomic';
import { fsError } from '../../src/main/fs/errors';
import { withLock } from '../../src/main/fs/lock';
import { Journal } from '../../src/main/journal';
import { AccountRecords } from '../../src/main/accounts/account-records';
import { PasskeyDeskError } from '../../src/shared/errors';
import type { JournalStepInput } from '../../src/shared/journal';

const step = (credentialId: string): JournalStepInput => ({
  action: 'vault.delete',
  effect: 'Delete it.',
  store: 'vault',
  credentialId,
  accountId: null,
  snapshot: null,
  undo: { kind: 'vault-restore', credentialId },
  planId: null,
});

describe('the journal after a torn write', () => {
  it('keeps the next step: its begin line is not glued to the torn one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pkd-journal-'));
    const journal = new Journal(dir);
    await journal.record(step('AAAA'), async () => undefined);
    // Power was lost while the next begin line was written: the file ends mid-line.
    const path = join(dir, 'journal.jsonl');
    await writeFile(path, `${await readFile(path, 'utf8')}{"t":"begin","id":"torn","at":"2026-`);
    await journal.record(step('BBBB'), async () => undefined);
    const entries = await journal.entries();
    expect(entries.map((e) => [e.credentialId, e.outcome])).toEqual([
      ['BBBB', 'done'],
      ['AAAA', 'done'],
    ]);
    // The torn line stays on a line of its own (unreadable, skipped); every other line is whole JSON.
    const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean);
    expect(lines.filter((l) => l.endsWith('"at":"2026-'))).toHaveLength(1);
  });
});

describe('file-system failures a user can fix', () => {
  it.each([
    ['EACCES', 'permission denied'],
    ['EPERM', 'permission denied'],
    ['EROFS', 'read-only file system'],
    ['ENOSPC', 'the disk is full'],
  ])('%s reads as DATA_UNAVAILABLE naming the file and what to do', (errno, words) => {
    const e = fsError(Object.assign(new Error(errno), { code: errno }), '/data/vault.json', 'write');
    expect(e).toBeInstanceOf(PasskeyDeskError);
    expect(e).toMatchObject({ code: 'DATA_UNAVAILABLE', details: { path: '/data/vault.json', errno } });
    expect((e as Error).message).toContain('Passkey Desk cannot write /data/vault.json');
    expect((e as Error).message).toContain(words);
  });

  it('reads any other system error on a data file as DATA_UNAVAILABLE with its code; anything else stays as it is', () => {
    const io = fsError(Object.assign(new Error('EIO: i/o error'), { code: 'EIO' }), '/x', 'read');
    expect(io).toMatchObject({ code: 'DATA_UNAVAILABLE', details: { errno: 'EIO' } });
    const bug = new TypeError('not a system error');
    expect(fsError(bug, '/x', 'read')).toBe(bug);
  });

  // Tests run as root in CI, where permissions do not refuse anything: a folder where a file belongs does.
  it('a folder where the journal or accounts file belongs is reported, on read and on write', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pkd-eisdir-'));
    await mkdir(join(dir, 'journal.jsonl'));
    await mkdir(join(dir, 'accounts.json'));
    const journal = new Journal(dir);
    await expect(journal.entries()).rejects.toMatchObject({
      code: 'DATA_UNAVAILABLE',
      message: expect.stringContaining('journal.jsonl: it is a folder where Passkey Desk keeps a file'),
    });
    await expect(journal.record(step('AAAA'), async () => undefined)).rejects.toMatchObject({
      code: 'DATA_UNAVAILABLE',
    });
    await expect(new AccountRecords(dir).list()).rejects.toMatchObject({ code: 'DATA_UNAVAILABLE' });
  });

  it('an atomic write that fails leaves neither the target changed nor a temp file behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pkd-atomic-'));
    await mkdir(join(dir, 'vault.json'));
    await expect(writeFileAtomic(join(dir, 'vault.json'), '{}')).rejects.toMatchObject({
      code: 'DATA_UNAVAILABLE',
    });
    expect(await readdir(dir)).toEqual(['vault.json']);
  });
});

describe('the inter-process lock', () => {
  it('a lock lost while working is reported when the work ends, instead of ending the process', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pkd-lock-'));
    // Another process (or a clean-up) removed the lock mid-work: the next heartbeat finds it gone.
    const work = withLock(dir, 'vault', async () => {
      await rm(join(dir, 'vault.lock'), { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 2_600)); // past one heartbeat (2 s)
      return 'written';
    });
    await expect(work).rejects.toMatchObject({
      code: 'LOCKED_BY_OTHER_PROCESS',
      message: expect.stringContaining('lost its hold on vault'),
    });
    // And the lock can be taken again.
    await expect(withLock(dir, 'vault', async () => 'ok')).resolves.toBe('ok');
  });
});

describe('a data folder that is a file', () => {
  it('reading the vault or the journal from it says so, for every reader', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pkd-notdir-'));
    const file = join(dir, 'not-a-folder');
    await writeFile(file, 'x');
    for (const read of [() => new Journal(file).entries(), () => new AccountRecords(file).list()])
      await expect(read()).rejects.toMatchObject({
        code: 'DATA_UNAVAILABLE',
        message: expect.stringContaining('a folder above it is a file'),
      });
  });
});
