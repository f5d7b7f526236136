import { PasskeyDeskError } from '../shared/errors';

/**
 * The OS keyring, seen as a map of (service, account) → secret. Production uses @napi-rs/keyring (Keychain,
 * Credential Manager, Secret Service); tests on Linux use the same code against a real gnome-keyring.
 */
export interface SecretStore {
  readonly description: string;
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

export const KEYRING_SERVICE = 'Passkey Desk';

type EntryCtor = new (
  service: string,
  account: string,
) => {
  getPassword(): string | null;
  setPassword(p: string): void;
  deletePassword(): boolean;
};

export function createOsSecretStore(
  service: string = KEYRING_SERVICE,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): SecretStore {
  let Entry: EntryCtor | null = null;
  const entry = async (account: string) => {
    preflight(env, platform);
    if (!Entry) {
      try {
        Entry = (await import('@napi-rs/keyring')).Entry;
      } catch (e) {
        throw new PasskeyDeskError(
          'KEYRING_UNAVAILABLE',
          `The OS keyring module could not be loaded: ${(e as Error).message}`,
        );
      }
    }
    return new Entry(service, account);
  };
  return {
    description: describeKeyring(platform),
    async get(account) {
      const e = await entry(account);
      return wrap(platform, () => e.getPassword());
    },
    async set(account, secret) {
      const e = await entry(account);
      wrap(platform, () => e.setPassword(secret));
    },
    async delete(account) {
      const e = await entry(account);
      return wrap(platform, () => e.deletePassword());
    },
  };
}

function describeKeyring(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'macOS Keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  return 'Secret Service (GNOME Keyring, KWallet or KeePassXC)';
}

/**
 * Without a D-Bus session the Secret Service library answers "no secret" instead of failing, which would make a
 * missing keyring look like a missing key. Say what is wrong before asking.
 */
function preflight(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): void {
  if (platform === 'linux' && !env.DBUS_SESSION_BUS_ADDRESS) {
    throw new PasskeyDeskError(
      'KEYRING_UNAVAILABLE',
      'The Secret Service (org.freedesktop.secrets) cannot be reached: there is no D-Bus session bus ' +
        '(DBUS_SESSION_BUS_ADDRESS is not set). Run Passkey Desk in your desktop session, or start one with ' +
        '`dbus-run-session` and a keyring daemon (e.g. `gnome-keyring-daemon --unlock --components=secrets`).',
    );
  }
}

function wrap<T>(platform: NodeJS.Platform, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/no result found|locked|prompt/i.test(message)) {
      throw new PasskeyDeskError(
        'KEYRING_LOCKED',
        `The keyring is locked or has no default collection (${message}). Unlock it — on Linux, log in to the ` +
          'desktop or unlock the "login" keyring in Passwords and Keys (seahorse) — then try again.',
      );
    }
    throw new PasskeyDeskError(
      'KEYRING_UNAVAILABLE',
      `The ${describeKeyring(platform)} refused the request (${message}). Check that the keyring service is running and unlocked.`,
    );
  }
}
