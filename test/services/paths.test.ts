/**
 * The app and the CLI must use one data folder: two would mean two vaults, each seeing the other's passkeys on
 * the servers as gone from "the vault". The Electron shell passes Electron's `appData`, the CLI computes it; both
 * must land on `<appData>/Passkey Desk`, with `appData` as Electron documents it for each platform
 * (app.getPath: `$XDG_CONFIG_HOME` or `~/.config` on Linux, `~/Library/Application Support` on macOS,
 * `%APPDATA%` on Windows). Earlier builds of the app kept their data in `<appData>/passkey-desk`.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adoptEarlierAppFolder, resolveDataDir } from '../../src/main/paths';

describe('the data folder', () => {
  const cases: [NodeJS.Platform, NodeJS.ProcessEnv, string][] = [
    ['linux', {}, join(homedir(), '.config')],
    ['linux', { XDG_CONFIG_HOME: '/cfg' }, '/cfg'],
    ['darwin', {}, join(homedir(), 'Library', 'Application Support')],
    [
      'win32',
      { APPDATA: 'C:\\\\Users\\\\u\\\\AppData\\\\Roaming' },
      'C:\\\\Users\\\\u\\\\AppData\\\\Roaming',
    ],
  ];
  it.each(cases)('is <appData>/Passkey Desk for the CLI and the app on %s (%j)', (platform, env, appData) => {
    const cli = resolveDataDir({}, env, platform);
    expect(cli).toBe(join(appData, 'Passkey Desk'));
    expect(resolveDataDir({ electronAppData: appData }, env, platform)).toBe(cli);
  });

  it('PASSKEY_DESK_HOME wins for both shells, and an explicit override wins over it', () => {
    const env = { PASSKEY_DESK_HOME: '/data/pkd', XDG_CONFIG_HOME: '/home/u/.config' };
    expect(resolveDataDir({}, env, 'linux')).toBe('/data/pkd');
    expect(resolveDataDir({ electronAppData: '/home/u/.config' }, env, 'linux')).toBe('/data/pkd');
    expect(resolveDataDir({ override: '/elsewhere' }, env, 'linux')).toBe('/elsewhere');
  });
});

describe('data of an earlier build of the app', () => {
  async function appData(): Promise<{ appData: string; earlier: string; shared: string }> {
    const root = await mkdtemp(join(tmpdir(), 'pkd-appdata-'));
    return { appData: root, earlier: join(root, 'passkey-desk'), shared: join(root, 'Passkey Desk') };
  }

  it('moves over when the shared folder has none, leaving Chromium files behind', async () => {
    const { appData: root, earlier, shared } = await appData();
    await mkdir(join(earlier, 'plans'), { recursive: true });
    await writeFile(join(earlier, 'vault.json'), '{"v":1}');
    await writeFile(join(earlier, 'accounts.json'), '{"a":1}');
    await writeFile(join(earlier, 'plans', 'p.json'), '{}');
    await writeFile(join(earlier, 'Cookies'), 'chromium');
    const r = adoptEarlierAppFolder(root, shared);
    expect(r).toEqual({ moved: ['vault.json', 'accounts.json', 'plans'], leftIn: null });
    expect(await readFile(join(shared, 'vault.json'), 'utf8')).toBe('{"v":1}');
    expect(existsSync(join(shared, 'plans', 'p.json'))).toBe(true);
    expect(existsSync(join(earlier, 'vault.json'))).toBe(false);
    expect(existsSync(join(earlier, 'Cookies'))).toBe(true);
    // Once moved, a later start has nothing to do.
    expect(adoptEarlierAppFolder(root, shared)).toEqual({ moved: [], leftIn: null });
  });

  it('puts back what it moved when one item cannot move, so the data stays whole in the earlier folder', async () => {
    const { appData: root, earlier, shared } = await appData();
    await mkdir(join(earlier, 'plans'), { recursive: true });
    await writeFile(join(earlier, 'vault.json'), '{"v":1}');
    await writeFile(join(earlier, 'accounts.json'), '{"a":1}');
    await writeFile(join(earlier, 'plans', 'p.json'), '{}');
    // A dangling link named like an item: not data (existsSync follows it), but a folder cannot be renamed
    // over it (ENOTDIR), so the third move fails after two have succeeded.
    await mkdir(shared, { recursive: true });
    await symlink(join(root, 'nowhere'), join(shared, 'plans'));
    expect(adoptEarlierAppFolder(root, shared)).toEqual({ moved: [], leftIn: earlier });
    expect(await readFile(join(earlier, 'vault.json'), 'utf8')).toBe('{"v":1}');
    expect(await readFile(join(earlier, 'accounts.json'), 'utf8')).toBe('{"a":1}');
    expect(existsSync(join(earlier, 'plans', 'p.json'))).toBe(true);
    expect(existsSync(join(shared, 'vault.json'))).toBe(false);
    expect(existsSync(join(shared, 'accounts.json'))).toBe(false);
  });

  it('moves nothing when both folders hold data, and says where the other one is', async () => {
    const { appData: root, earlier, shared } = await appData();
    await mkdir(earlier, { recursive: true });
    await mkdir(shared, { recursive: true });
    await writeFile(join(earlier, 'vault.json'), 'old');
    await writeFile(join(shared, 'journal.jsonl'), 'new');
    expect(adoptEarlierAppFolder(root, shared)).toEqual({ moved: [], leftIn: earlier });
    expect(await readFile(join(earlier, 'vault.json'), 'utf8')).toBe('old');
    expect(existsSync(join(shared, 'vault.json'))).toBe(false);
  });
});
