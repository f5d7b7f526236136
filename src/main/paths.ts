import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The data folder's name inside the platform's application-data folder, for both shells. */
export const DATA_FOLDER_NAME = 'Passkey Desk';

/**
 * The data folder. `PASSKEY_DESK_HOME` overrides everything (tests always set it). Otherwise it is
 * `<application data>/Passkey Desk` for both shells, so they share one vault, one journal and one set of
 * accounts: the Electron shell passes `app.getPath('appData')` (and makes the folder its `userData`), the CLI
 * computes the same folder. Electron's own default `userData` is named after package.json, which a build may
 * not name the same way, so it is not used.
 */
export function resolveDataDir(
  options: { override?: string | undefined; electronAppData?: string | undefined } = {},
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const fromEnv = env.PASSKEY_DESK_HOME;
  if (options.override) return options.override;
  if (fromEnv) return fromEnv;
  return join(options.electronAppData ?? platformConfigDir(env, platform), DATA_FOLDER_NAME);
}

/** Where Electron's `app.getPath('appData')` points on each platform, so the CLI and the app agree. */
export function platformConfigDir(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  switch (platform) {
    case 'win32':
      return env.APPDATA ?? join(homedir(), 'AppData', 'Roaming');
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support');
    default:
      return env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
  }
}

/** Where builds of the app before the shared folder kept their data: Electron's default, after package.json's name. */
export const EARLIER_APP_FOLDER_NAME = 'passkey-desk';

/** Passkey Desk's own files in a data folder (not Chromium's, which an Electron userData folder also holds). */
const DATA_ITEMS = [
  'vault.json',
  'journal.jsonl',
  'accounts.json',
  'guided-marks.json',
  'imported-files.json',
  'plans',
];

/**
 * Builds of the app before the data folder was shared kept their data in `<appData>/passkey-desk`. At start, when
 * that folder holds Passkey Desk data and the shared folder holds none, the data moves over (a rename in the same
 * parent folder: all or nothing per file, nothing copied; if one cannot be moved, those moved go back). When both
 * hold data nothing is moved (merging two vaults is the user's call) and the answer says where the other data is.
 * Sync: it runs before Electron's `ready`, before any lock.
 */
export function adoptEarlierAppFolder(
  appData: string,
  dataDir: string,
): { moved: string[]; leftIn: string | null } {
  const earlier = join(appData, EARLIER_APP_FOLDER_NAME);
  const present = (dir: string) => DATA_ITEMS.filter((item) => existsSync(join(dir, item)));
  const old = earlier === dataDir ? [] : present(earlier);
  if (old.length === 0) return { moved: [], leftIn: null };
  if (present(dataDir).length > 0) return { moved: [], leftIn: earlier };
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const moved: string[] = [];
  try {
    for (const item of old) {
      renameSync(join(earlier, item), join(dataDir, item));
      moved.push(item);
    }
  } catch {
    // A file held open (an old build still running, an antivirus scan): put back what moved, so the data stays
    // whole in one folder, and leave it there for the next start.
    for (const item of moved) renameSync(join(dataDir, item), join(earlier, item));
    return { moved: [], leftIn: earlier };
  }
  return { moved, leftIn: null };
}
