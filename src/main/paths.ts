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
