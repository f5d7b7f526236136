/**
 * gnome-keyring-daemon can end while it handles a request (seen in CI: GLib-ERROR, then the call in flight fails
 * with "disconnected from message bus without replying"); D-Bus starts a new daemon on the next call. The secret
 * store asks once more in that one case, and only once; every other failure is reported as it is. A real daemon
 * dying mid-call cannot be arranged on demand, so the binding here is a model that fails the way the real one did.
 */
import { describe, expect, it } from 'vitest';
import { createOsSecretStore } from '../../src/main/keyring';
import type { EntryCtor } from '../../src/main/keyring';

const WENT_AWAY =
  'Platform secure storage failure: DBus error: Remote peer disconnected from message bus without replying';

/** A keyring binding whose calls, in order, throw the messages in `failures` (null: that call works). */
function flakyBinding(failures: (string | null)[]): { Entry: EntryCtor; calls: string[] } {
  const secrets = new Map<string, string>();
  const calls: string[] = [];
  const step = (what: string): void => {
    calls.push(what);
    const failure = failures.shift();
    if (failure) throw new Error(failure);
  };
  class Entry {
    constructor(
      private readonly service: string,
      private readonly account: string,
    ) {}
    getPassword(): string | null {
      step(`get ${this.account}`);
      return secrets.get(`${this.service}/${this.account}`) ?? null;
    }
    setPassword(p: string): void {
      step(`set ${this.account}`);
      secrets.set(`${this.service}/${this.account}`, p);
    }
    deletePassword(): boolean {
      step(`delete ${this.account}`);
      return secrets.delete(`${this.service}/${this.account}`);
    }
  }
  return { Entry, calls };
}

const env = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/model-bus' };

describe('the keyring when its daemon goes away mid-call', () => {
  it('asks once more, and the second answer counts', async () => {
    const binding = flakyBinding([WENT_AWAY, null, WENT_AWAY]);
    const store = createOsSecretStore('Test', env, 'linux', async () => binding.Entry);
    await store.set('vault-key', 'k1');
    expect(await store.get('vault-key')).toBe('k1');
    expect(binding.calls).toEqual(['set vault-key', 'set vault-key', 'get vault-key', 'get vault-key']);
  });

  it('reports the second failure in a row as KEYRING_UNAVAILABLE, with the daemon’s words', async () => {
    const binding = flakyBinding([WENT_AWAY, WENT_AWAY]);
    const store = createOsSecretStore('Test', env, 'linux', async () => binding.Entry);
    await expect(store.get('vault-key')).rejects.toMatchObject({
      code: 'KEYRING_UNAVAILABLE',
      message: expect.stringContaining('without replying'),
    });
    expect(binding.calls).toEqual(['get vault-key', 'get vault-key']);
  });

  it('does not ask again for any other failure (a locked keyring)', async () => {
    const binding = flakyBinding(['Secret Service: object locked']);
    const store = createOsSecretStore('Test', env, 'linux', async () => binding.Entry);
    await expect(store.delete('vault-key')).rejects.toMatchObject({ code: 'KEYRING_LOCKED' });
    expect(binding.calls).toEqual(['delete vault-key']);
  });
});
