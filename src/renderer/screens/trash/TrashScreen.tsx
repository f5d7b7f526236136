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

/** Vault passkeys that were deleted: restore them, or purge them for good after a confirmation. */
export function TrashScreen(_props: ScreenProps) {
  const [state, setState] = useState<TrashState>({ status: 'loading' });
  const [purging, setPurging] = useState<Passkey | null>(null);
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
                onPurge={() => setPurging(entry.passkey)}
              />
            ))}
          </ul>
        </>
      )}
      {purging && (
        <ConfirmDialog
          title="Purge passkey for good?"
          effect={purgeEffect(purging)}
          confirmLabel="Purge for good"
          danger
          onConfirm={() => api().vault.purge({ credentialId: purging.credentialId, confirm: true })}
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
