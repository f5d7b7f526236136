import { PasskeyDeskError } from '../../shared/errors';
import type { Handlers } from '../../shared/contract';
import type { Passkey } from '../../shared/model';
import type { Journal } from '../journal';
import type { SecurityKeyProvider, SecurityKeyStore } from '../stores/security-key';
import { parseCredentialId } from '../stores/security-key';
import type { OperationContext } from '../stores/store';

export type KeyHandlers = Pick<Handlers, 'keys.list' | 'keys.credentials' | 'keys.delete' | 'keys.rename'>;

/**
 * The security-key channels. The PIN from a request goes into the operation context of one call and nowhere else;
 * deletes and renames are journaled (with a metadata snapshot) before the key is touched.
 */
export function keyHandlers(deps: {
  provider: SecurityKeyProvider;
  journal: Journal;
  onProgress?: (message: string) => void;
}): KeyHandlers {
  const ctx = (pin: string): OperationContext =>
    deps.onProgress ? { pin, onProgress: deps.onProgress } : { pin };
  const find = async (
    store: SecurityKeyStore,
    credentialId: string,
    c: OperationContext,
  ): Promise<Passkey> => {
    const wanted = parseCredentialId(credentialId);
    const passkey = (await store.list(c)).find((p) => p.credentialId === wanted);
    if (!passkey) throw new PasskeyDeskError('NOT_FOUND', `${store.label} holds no passkey ${credentialId}.`);
    return passkey;
  };
  return {
    'keys.list': async () => deps.provider.listKeys(),
    'keys.credentials': async (req) => {
      const store = await deps.provider.store(req.key);
      const c = ctx(req.pin);
      const passkeys = await store.list(c);
      return { key: await store.describe(c), passkeys };
    },
    'keys.delete': async (req) => {
      const store = await deps.provider.store(req.key);
      const c = ctx(req.pin);
      const passkey = await find(store, req.credentialId, c);
      return deps.journal.record(
        {
          action: 'store.delete',
          effect: `Delete the passkey for ${passkey.userName ?? 'an account'} on ${passkey.rpId} from ${store.label} (this cannot be undone).`,
          store: store.id,
          credentialId: passkey.credentialId,
          accountId: null,
          snapshot: { ...passkey },
          undo: null,
          planId: null,
        },
        async (journalId) => {
          await store.delete(passkey.credentialId, c);
          return { passkey, journalId };
        },
      );
    },
    'keys.rename': async (req) => {
      const store = await deps.provider.store(req.key);
      const c = ctx(req.pin);
      const before = await find(store, req.credentialId, c);
      const change = {
        ...(req.userName !== undefined ? { userName: req.userName } : {}),
        ...(req.userDisplayName !== undefined ? { userDisplayName: req.userDisplayName } : {}),
      };
      return deps.journal.record(
        {
          action: 'store.rename',
          effect: `Change the user of the passkey on ${before.rpId} in ${store.label} to "${change.userName ?? before.userName ?? ''}" / "${change.userDisplayName ?? before.userDisplayName ?? ''}".`,
          store: store.id,
          credentialId: before.credentialId,
          accountId: null,
          snapshot: { ...before },
          undo: null,
          planId: null,
        },
        () => store.rename(before.credentialId, change, c),
      );
    },
  };
}
