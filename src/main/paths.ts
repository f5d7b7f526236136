import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The data folder. `PASSKEY_DESK_HOME` overrides everything (tests always set it); the Electron shell passes
 * its `userData` folder; the CLI uses the platform's config folder, so both shells share one vault.
 */
export function resolveDataDir(
  options: { override?: string | undefined; electronUserData?: string | undefined } = {},
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const fromEnv = env.PASSKEY_DESK_HOME;
  if (options.override) return options.override;
  if (fromEnv) return fromEnv;
  if (options.electronUserData) return options.electronUserData;
  return join(platformConfigDir(env, platform), 'Passkey Desk');
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
