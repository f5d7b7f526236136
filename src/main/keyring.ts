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

export type EntryCtor = new (
  service: string,
  account: string,
  options?: { linux?: { store?: 'secret-service' | 'keyutils' } },
) => {
  getPassword(): string | null;
  setPassword(p: string): void;
  deletePassword(): boolean;
};

export function createOsSecretStore(
  service: string = KEYRING_SERVICE,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  /** Where the keyring binding comes from (tests give a model of it). */
  load: () => Promise<EntryCtor> = async () => (await import('@napi-rs/keyring')).Entry,
): SecretStore {
  let Entry: EntryCtor | null = null;
  const entry = async (account: string) => {
    preflight(env, platform);
    if (!Entry) {
      try {
        Entry = await load();
      } catch (e) {
        throw new PasskeyDeskError(
          'KEYRING_UNAVAILABLE',
          `The OS keyring module could not be loaded: ${(e as Error).message}`,
        );
      }
    }
    // Pinned to the Secret Service: by default the library falls back to the kernel keyring when the Secret
    // Service cannot be reached, which reads every secret as absent (a lost vault key, signed-out accounts) and
    // writes new ones where they do not survive a reboot. Pinned, an unreachable keyring throws instead (the
    // constructor already connects, so it is wrapped like every call; no extra probe, no extra round trip).
    const Ctor = Entry;
    return wrap(platform, env, () =>
      platform === 'linux'
        ? new Ctor(service, account, { linux: { store: 'secret-service' } })
        : new Ctor(service, account),
    );
  };
  /**
   * One call, and once more if the keyring daemon went away in the middle of it ("disconnected without
   * replying": gnome-keyring can crash on a client's request; D-Bus starts it again on the next call). Each
   * operation is idempotent (a get, a set of the same value, a delete), so asking again is safe.
   */
  const once = async <T>(account: string, call: (e: InstanceType<EntryCtor>) => T): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      try {
        const e = await entry(account);
        return wrap(platform, env, () => call(e));
      } catch (err) {
        if (attempt > 0 || !(err instanceof PasskeyDeskError) || !DAEMON_WENT_AWAY.test(err.message))
          throw err;
      }
    }
  };
  return {
    description: describeKeyring(platform),
    get: (account) => once(account, (e) => e.getPassword()),
    set: async (account, secret) => {
      await once(account, (e) => e.setPassword(secret));
    },
    delete: (account) => once(account, (e) => e.deletePassword()),
  };
}

/** The keyring daemon ended while it handled our call; a new one is started by D-Bus activation on the next. */
const DAEMON_WENT_AWAY = /disconnected from message bus without replying/i;

function describeKeyring(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'macOS Keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  return 'Secret Service (GNOME Keyring, KWallet or KeePassXC)';
}

const START_A_SESSION =
  'Run Passkey Desk in your desktop session (and unlock its keyring), or start one with `dbus-run-session` and a ' +
  'keyring daemon (e.g. `gnome-keyring-daemon --unlock --components=secrets`).';

/**
 * Without a D-Bus session there is no Secret Service to ask: say what is wrong before asking, so a missing keyring
 * never looks like a missing key. A bus address that is set but leads nowhere is caught by `wrap`.
 */
function preflight(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): void {
  if (platform === 'linux' && !env.DBUS_SESSION_BUS_ADDRESS) {
    throw new PasskeyDeskError(
      'KEYRING_UNAVAILABLE',
      'The Secret Service (org.freedesktop.secrets) cannot be reached: there is no D-Bus session bus ' +
        `(DBUS_SESSION_BUS_ADDRESS is not set). ${START_A_SESSION}`,
    );
  }
}

/** The library's words when the session bus itself does not connect (a stale or wrong DBUS_SESSION_BUS_ADDRESS). */
const BUS_UNREACHABLE =
  /failed to connect|connection refused|no such file or directory|unable to autolaunch|address does not contain|unknown address type/i;
/**
 * The library's words when the bus connected but no Secret Service answered: none can be activated, it failed to
 * start or did not reply. With the store pinned to the Secret Service, D-Bus-level failures read "DBus error: …"
 * or "No DBus session or Secret Service provider found"; a locked keyring reads "Secret Service: object locked".
 */
const SERVICE_UNREACHABLE =
  /d-?bus error|secret service provider|not provided by any \.service files|not activatable|did not receive a reply/i;

function wrap<T>(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // Checked before "locked": a D-Bus timeout says "the message bus security policy blocked the reply".
    if (platform === 'linux' && (BUS_UNREACHABLE.test(message) || SERVICE_UNREACHABLE.test(message))) {
      const bus = `the D-Bus session bus at ${env.DBUS_SESSION_BUS_ADDRESS ?? '(not set)'}`;
      const what = BUS_UNREACHABLE.test(message)
        ? `${bus} does not answer (${message}); DBUS_SESSION_BUS_ADDRESS may be left over from a session that has ended.`
        : `no keyring daemon answers on ${bus} (${message}).`;
      throw new PasskeyDeskError(
        'KEYRING_UNAVAILABLE',
        `The Secret Service (org.freedesktop.secrets) cannot be reached, so its entries cannot be read or written: ${what} ${START_A_SESSION}`,
      );
    }
    if (/no result found|locked|prompt/i.test(message)) {
      throw new PasskeyDeskError(
        'KEYRING_LOCKED',
        `The keyring is locked or has no default collection (${message}). Unlock it — on Linux, log in to the ` +
          'desktop or unlock the "login" keyring in Passwords and Keys (seahorse); without a desktop, start the ' +
          'daemon unlocked (`gnome-keyring-daemon --unlock --components=secrets`, the password on stdin, as the ' +
          'README shows) — then try again.',
      );
    }
    throw new PasskeyDeskError(
      'KEYRING_UNAVAILABLE',
      `The ${describeKeyring(platform)} refused the request (${message}). Check that the keyring service is running and unlocked.`,
    );
  }
}
