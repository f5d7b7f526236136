import { useCallback, useEffect, useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import type { Passkey, TrashEntry } from '../../../shared/model';
import { api } from '../../api';
import { formatDateTime, plural, userLabel } from '../../format';
import type { ScreenProps } from '../../shell/navigation';
import { useToasts } from '../../shell/toasts';
import { useInventory } from '../../state/inventory';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { TrashItem } from './TrashItem';

type TrashState =
  { status: 'loading' } | { status: 'ready'; entries: TrashEntry[] } | { status: 'error'; error: ErrorInfo };

export function purgeEffect(p: Passkey): string {
  return `Destroys the private key of the passkey for ${userLabel(p)} on ${p.rpId} for good. You will not be able to sign in with it again, and this cannot be undone.`;
}

/**
 * The second question, when a connected account's server still accepts the passkey (or could not be asked):
 * purging destroys the key while the server keeps the credential.
 */
export function stillAcceptedEffect(p: Passkey, guard: ErrorInfo): string {
  const d = guard.details ?? {};
  const who =
    typeof d.userName === 'string' && typeof d.serverUrl === 'string'
      ? `${d.userName} at ${d.serverUrl}`
      : 'A connected account';
  if (d.asked === false) {
    const cause = d.cause as { code?: unknown; message?: unknown } | undefined;
    const why =
      cause?.code === 'NOT_SIGNED_IN' || cause?.code === 'SESSION_EXPIRED'
        ? 'Passkey Desk is not signed in to it (sign in on the Accounts screen, then purge again).'
        : typeof cause?.message === 'string'
          ? cause.message
          : '';
    return `Passkey Desk could not ask ${who} whether it still accepts this passkey. ${why} If it does, purging leaves the account with a passkey no device can use. Purging anyway destroys the key of the passkey for ${userLabel(p)} on ${p.rpId} for good.`;
  }
  const accepted = typeof d.accepted === 'number' ? d.accepted : 0;
  return `${who} still accepts this passkey${accepted === 1 ? ' and no other: purging its key leaves no way to sign in there' : ''}. Restore it to keep using it, or ${accepted === 1 ? 'add another passkey to the account and then revoke this one (Reconcile)' : 'revoke it on the server first (Reconcile)'}. Purging anyway destroys the key of the passkey for ${userLabel(p)} on ${p.rpId} for good.`;
}

/** The second dialog's title: what is known about the server. */
function stillAcceptedTitle(guard: ErrorInfo): string {
  return guard.details?.asked === false
    ? 'The server could not be asked: purge anyway?'
    : 'The server still accepts it: purge anyway?';
}

/** Vault passkeys that were deleted: restore them, or purge them for good after a confirmation. */
export function TrashScreen(_props: ScreenProps) {
  const [state, setState] = useState<TrashState>({ status: 'loading' });
  /** `guard`: the server still accepts it (or could not be asked); purging again overrides that, explicitly. */
  const [purging, setPurging] = useState<{ passkey: Passkey; guard: ErrorInfo | null } | null>(null);
  const inventory = useInventory();
  const toasts = useToasts();

  const load = useCallback(
    () =>
      api()
        .vault.trash({})
        .then((result) => {
          setState(
            result.ok ? { status: 'ready', entries: result.value } : { status: 'error', error: result.error },
          );
        }),
    [],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const restore = async (p: Passkey) => {
    const result = await api().vault.restore({ credentialId: p.credentialId });
    if (!result.ok) {
      toasts.showError(result.error);
      return;
    }
    toasts.show({ message: `Restored the passkey for ${userLabel(p)} on ${p.rpId}.` });
    await Promise.all([load(), inventory.reload()]);
  };

  return (
    <div className="screen screen-trash">
      <header className="screen-header">
        <div>
          <h1>Trash</h1>
          <p className="subtle">
            Passkeys deleted from the Passkey Desk vault. Restore one to use it again, or purge it to destroy
            its private key.
          </p>
        </div>
      </header>
      {state.status === 'loading' && (
        <p className="loading" role="status">
          Reading the trash…
        </p>
      )}
      {state.status === 'error' && <ErrorNotice error={state.error} onRetry={() => void load()} />}
      {state.status === 'ready' && state.entries.length === 0 && (
        <p className="empty-trash">The trash is empty.</p>
      )}
      {state.status === 'ready' && state.entries.length > 0 && (
        <>
          <p className="result-count">{plural(state.entries.length, 'passkey')} in the trash</p>
          <ul className="trash-list" aria-label="Passkeys in the trash">
            {state.entries.map((entry) => (
              <TrashItem
                key={entry.passkey.credentialId}
                passkey={entry.passkey}
                deleted={formatDateTime(entry.deletedAt)}
                onRestore={() => void restore(entry.passkey)}
                onPurge={() => setPurging({ passkey: entry.passkey, guard: null })}
              />
            ))}
          </ul>
        </>
      )}
      {purging && (
        <ConfirmDialog
          key={purging.guard ? 'anyway' : 'first'}
          title={purging.guard ? stillAcceptedTitle(purging.guard) : 'Purge passkey for good?'}
          effect={
            purging.guard ? stillAcceptedEffect(purging.passkey, purging.guard) : purgeEffect(purging.passkey)
          }
          confirmLabel={purging.guard ? 'Purge anyway' : 'Purge for good'}
          danger
          onConfirm={async () => {
            const result = await api().vault.purge({
              credentialId: purging.passkey.credentialId,
              confirm: true,
              ...(purging.guard ? { override: 'still-accepted' as const } : {}),
            });
            // Asked again, in the words of what is at stake, rather than shown as a failure.
            if (!result.ok && result.error.code === 'STILL_ACCEPTED' && !purging.guard)
              setPurging({ passkey: purging.passkey, guard: result.error });
            return result;
          }}
          onCancel={() => setPurging(null)}
          onDone={({ passkey }) => {
            setPurging(null);
            toasts.show({ message: `Purged the passkey for ${userLabel(passkey)} on ${passkey.rpId}.` });
            void load();
          }}
        />
      )}
    </div>
  );
}
