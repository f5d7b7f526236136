/**
 * The app and the CLI must use one data folder: two would mean two vaults, each seeing the other's passkeys on
 * the servers as gone from "the vault" (server orphans to revoke). The Electron shell passes Electron's
 * `appData`, the CLI computes it; both must land on the same `Passkey Desk` folder.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_FOLDER_NAME, platformConfigDir, resolveDataDir } from '../../src/main/paths';

describe('the data folder', () => {
  // What Electron's app.getPath('appData') gives on each platform, for these environments.
  const cases: [NodeJS.Platform, NodeJS.ProcessEnv, string][] = [
    ['linux', { XDG_CONFIG_HOME: '/home/u/.config' }, '/home/u/.config'],
    ['win32', { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'C:\\Users\\u\\AppData\\Roaming'],
  ];
  for (const [platform, env, appData] of cases) {
    it(`is the same folder for the app and the CLI on ${platform}`, () => {
      const cli = resolveDataDir({}, env, platform);
      const app = resolveDataDir({ electronAppData: appData }, env, platform);
      expect(cli).toBe(app);
      expect(cli).toBe(join(platformConfigDir(env, platform), DATA_FOLDER_NAME));
      expect(cli.endsWith('Passkey Desk')).toBe(true);
    });
  }

  it('PASSKEY_DESK_HOME wins for both shells, and an explicit override wins over it', () => {
    const env = { PASSKEY_DESK_HOME: '/data/pkd', XDG_CONFIG_HOME: '/home/u/.config' };
    expect(resolveDataDir({}, env, 'linux')).toBe('/data/pkd');
    expect(resolveDataDir({ electronAppData: '/home/u/.config' }, env, 'linux')).toBe('/data/pkd');
    expect(resolveDataDir({ override: '/elsewhere' }, env, 'linux')).toBe('/elsewhere');
  });
});
