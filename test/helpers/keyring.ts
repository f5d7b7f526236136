import { createOsSecretStore } from '../../src/main/keyring';
import type { SecretStore } from '../../src/main/keyring';

/**
 * The real OS keyring, under a service name unique to this test run. `npm test` runs the suite inside
 * `dbus-run-session` with gnome-keyring unlocked (scripts/test.sh), so this talks to a real Secret Service.
 */
export function realKeyring(): SecretStore {
  if (process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS) {
    throw new Error(
      'These tests need a Secret Service: run them with `npm test` (it starts gnome-keyring in dbus-run-session).',
    );
  }
  return createOsSecretStore(`Passkey Desk test ${process.pid}-${Math.random().toString(36).slice(2)}`);
}
