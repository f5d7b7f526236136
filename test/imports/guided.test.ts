import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PasskeyDeskError } from '../../src/shared/errors';
import { GUIDED_CARDS, guidedCardForAaguid } from '../../src/main/stores/guided/cards';
import { GuidedStoresProvider, sectionsFor } from '../../src/main/stores/guided/guided-store';
import { DeletionMarks, MARKS_FILE } from '../../src/main/stores/guided/marks';
import { matchDeletionMarks } from '../../src/main/stores/guided/marks-match';
import type { DeletionMark } from '../../src/main/stores/guided/marks-match';

describe('guided store cards', () => {
  it('has a card for each store no program can read, each with what, why and steps', () => {
    expect(GUIDED_CARDS.map((c) => c.id)).toEqual([
      'guided:apple',
      'guided:google',
      'guided:windows-settings',
      'guided:1password',
      'guided:phones',
      'guided:other',
    ]);
    for (const card of GUIDED_CARDS) {
      expect(card.what.length).toBeGreaterThan(20);
      expect(card.why.length).toBeGreaterThan(20);
      expect(card.sections.length).toBeGreaterThan(0);
      for (const s of card.sections) expect(s.steps.length).toBeGreaterThan(0);
    }
  });

  it('offers only links the OS can open: ms-settings on Windows, never chrome://', () => {
    const links = GUIDED_CARDS.flatMap((c) => c.sections.map((s) => s.link)).filter((l) => l !== null);
    expect(links).toEqual(['ms-settings:savedpasskeys']);
    const windows = GUIDED_CARDS.find((c) => c.id === 'guided:windows-settings')!;
    expect(sectionsFor(windows, 'win32')[0]!.link).toBe('ms-settings:savedpasskeys');
    expect(sectionsFor(windows, 'darwin')[0]!.link).toBeNull();
    const google = GUIDED_CARDS.find((c) => c.id === 'guided:google')!;
    expect(google.sections[0]!.linkNote).toMatch(/chrome:\/\/password-manager\/passwords/);
  });

  it('puts the sections for this computer first', () => {
    const apple = GUIDED_CARDS.find((c) => c.id === 'guided:apple')!;
    expect(sectionsFor(apple, 'darwin')[0]!.platform).toBe('macos');
    expect(sectionsFor(apple, 'linux')[0]!.platform).toBe('ios');
  });

  it('points provider AAGUIDs at their card', () => {
    expect(guidedCardForAaguid('FBFC3007-154E-4ECC-8C0B-6E020557D7BD')?.id).toBe('guided:apple');
    expect(guidedCardForAaguid('ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4')?.id).toBe('guided:google');
    expect(guidedCardForAaguid('bada5566-a7aa-401f-bd96-45619a55120d')?.id).toBe('guided:1password');
    expect(guidedCardForAaguid(null)).toBeNull();
  });

  it('reports each as an unreadable, never-complete store with manual steps, and refuses to list', async () => {
    const stores = await new GuidedStoresProvider('win32').stores();
    const windows = stores.find((s) => s.id === 'guided:windows-settings')!;
    const info = await windows.info();
    expect(info).toMatchObject({
      kind: 'guided',
      status: 'unavailable',
      complete: false,
      count: null,
      capabilities: { list: false, delete: false },
    });
    expect(info.reason).toMatch(/not removable/);
    expect(info.manage).toEqual({
      steps: expect.arrayContaining(['Open Settings → Accounts → Passkeys.']) as string[],
      link: 'ms-settings:savedpasskeys',
    });
    await expect(windows.list()).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });
});

describe('"deleted there" marks', () => {
  const setup = async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'pkd-marks-'));
    let t = Date.parse('2026-03-01T00:00:00.000Z');
    return { dataDir, marks: new DeletionMarks({ dataDir, now: () => new Date((t += 1000)) }) };
  };

  it('records, lists across instances, refreshes duplicates and withdraws marks', async () => {
    const { dataDir, marks } = await setup();
    const a = await marks.record({
      store: 'guided:apple',
      rpId: 'Example.COM',
      credentialId: 'q83v',
      userHandle: null,
    });
    expect(a).toMatchObject({
      store: 'guided:apple',
      rpId: 'example.com',
      credentialId: 'q83v',
      userHandle: null,
    });
    await marks.record({ store: 'guided:google', rpId: 'github.com' });
    const again = await marks.record({ store: 'guided:apple', rpId: 'example.com', credentialId: 'q83v' });
    const listed = await new DeletionMarks({ dataDir }).list();
    expect(listed.map((m) => m.id)).toEqual([listed[0]!.id, again.id]);
    expect(listed).toHaveLength(2);
    // Marked again: the same mark, a later date, and the id printed the first time still undoes it.
    expect(again.id).toBe(a.id);
    expect(again.markedAt > a.markedAt).toBe(true);
    await marks.remove(again.id);
    expect(await marks.list()).toHaveLength(1);
    await expect(marks.remove(again.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('normalises IDs and refuses bad input with INVALID_INPUT', async () => {
    const { marks } = await setup();
    expect(
      (await marks.record({ store: 'guided:phones', rpId: 'example.com', credentialId: 'q83v8A==' }))
        .credentialId,
    ).toBe('q83v8A');
    for (const input of [
      { store: 'vault', rpId: 'example.com' },
      { store: 'guided:apple', rpId: 'https://example.com/' },
      { store: 'guided:apple', rpId: 'example.com', credentialId: 'not base64!' },
    ]) {
      const err = await marks.record(input).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PasskeyDeskError);
      expect((err as PasskeyDeskError).code).toBe('INVALID_INPUT');
    }
    // An unknown store is refused with the ones a user may type instead.
    const err = await marks.record({ store: 'guided:icloud', rpId: 'example.com' }).catch((e: unknown) => e);
    expect((err as Error).message).toContain('guided:apple for Apple Passwords / iCloud Keychain;');
    expect((err as Error).message).toContain('guided:other for');
  });

  it('reports a damaged marks file as DATA_CORRUPT', async () => {
    const { dataDir, marks } = await setup();
    await writeFile(join(dataDir, MARKS_FILE), '{nope');
    await expect(marks.list()).rejects.toMatchObject({ code: 'DATA_CORRUPT' });
  });
});

describe('matchDeletionMarks (pure)', () => {
  const mark = (over: Partial<DeletionMark>): DeletionMark => ({
    id: 'm',
    store: 'guided:apple',
    rpId: 'example.com',
    credentialId: null,
    userHandle: null,
    markedAt: '2026-03-01T00:00:00.000Z',
    ...over,
  });
  const cred = (
    credentialId: string,
    over: Partial<{ rpId: string; userHandle: string | null; createdAt: string | null }> = {},
  ) => ({
    credentialId,
    rpId: 'example.com',
    userHandle: 'u1',
    createdAt: '2026-01-01T00:00:00.000Z',
    ...over,
  });

  it('matches a marked credential exactly, and only on its RP', () => {
    const m = mark({ credentialId: 'A' });
    const result = matchDeletionMarks([cred('A'), cred('B'), cred('C', { rpId: 'other.com' })], new Set(), [
      m,
      mark({ id: 'x', credentialId: 'C' }),
    ]);
    expect([...result.keys()]).toEqual(['A']);
  });

  it('matches an account-wide mark to unlocated passkeys registered before it', () => {
    const m = mark({ userHandle: 'u1' });
    const creds = [
      cred('old'),
      cred('later', { createdAt: '2026-04-01T00:00:00.000Z' }),
      cred('unknown-date', { createdAt: null }),
      cred('other-user', { userHandle: 'u2' }),
      cred('here'),
    ];
    const result = matchDeletionMarks(creds, new Set(['here']), [m]);
    expect([...result.keys()]).toEqual(['old', 'unknown-date']);
  });

  it('never matches a passkey found in a readable store', () => {
    expect(matchDeletionMarks([cred('A')], new Set(['A']), [mark({ credentialId: 'A' })]).size).toBe(0);
  });
});

describe('provider → store ids', () => {
  it('names only stores that exist, so a "deleted there" mark for any known provider is accepted', async () => {
    const { knownProvider } = await import('../../src/shared/aaguid');
    const { isGuidedStoreId } = await import('../../src/main/stores/guided');
    for (const aaguid of [
      'fbfc3007-154e-4ecc-8c0b-6e020557d7bd',
      'ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4',
      'bada5566-a7aa-401f-bd96-45619a55120d',
      'd548826e-79b4-db40-a3d8-11116f7e8349',
      '53414d53-554e-4700-0000-000000000000',
    ]) {
      const store = knownProvider(aaguid)?.store;
      expect(store, aaguid).toBeTruthy();
      expect(
        store === 'vault' || store === 'windows-hello' || isGuidedStoreId(store!),
        `${aaguid} → ${store}`,
      ).toBe(true);
    }
  });
});
