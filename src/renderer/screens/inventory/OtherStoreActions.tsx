import { useState } from 'react';
import type { Passkey, StoreInfo } from '../../../shared/model';
import { api } from '../../api';
import { userLabel } from '../../format';
import { useToasts } from '../../shell/toasts';
import { useInventory } from '../../state/inventory';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { likelyGuidedCard } from '../guided/likely-card';
import { useGuidedCards } from '../guided/useGuided';
import { useMarkFlow } from '../guided/useMarkFlow';
import { ManageSteps } from '../stores/ManageSteps';

/** The sentence the confirmation shows before deleting from a store with no trash (Windows Hello). */
export function storeDeleteEffect(p: Passkey, storeLabel: string): string {
  const undo =
    p.storeKind === 'windows-hello'
      ? 'Windows cannot undo this: the passkey is gone from this PC for good.'
      : 'This cannot be undone.';
  return `Deletes the passkey for ${userLabel(p)} on ${p.rpId} from ${storeLabel}. ${undo} The account on ${p.rpId} still lists it until you remove it there too (or reconcile).`;
}

/**
 * What can be done with a passkey outside the vault: delete it where the store allows (Windows Hello's removable
 * passkeys), else the store's own steps; and where it likely lives in a store no program can read, "Mark as
 * deleted there" so reconciliation can revoke it on the server.
 */
export function OtherStoreActions({ passkey, store }: { passkey: Passkey; store: StoreInfo | null }) {
  const [confirming, setConfirming] = useState(false);
  const { reload } = useInventory();
  const toasts = useToasts();
  const cards = useGuidedCards();
  const marking = useMarkFlow(() => void reload());
  const guided = likelyGuidedCard(passkey, cards);
  const label = store?.label ?? passkey.store;
  const deletable = !!store?.capabilities.delete && passkey.removable && passkey.storeKind !== 'security-key';
  const name = `${userLabel(passkey)} on ${passkey.rpId}`;

  return (
    <div className="detail-elsewhere">
      <h3>Changing this passkey</h3>
      {deletable ? (
        <div className="detail-actions">
          <button type="button" className="button button-danger" onClick={() => setConfirming(true)}>
            Delete from {label}…
          </button>
        </div>
      ) : passkey.storeKind === 'security-key' ? (
        <p>Delete or rename it on the Security keys screen: the key asks for its PIN first.</p>
      ) : (
        <>
          <p>
            {passkey.storeKind === 'windows-hello'
              ? passkey.providerName && passkey.providerName !== label
                ? `Windows lists this passkey, but ${passkey.providerName} holds it: open ${passkey.providerName} and delete it there. If it still shows afterwards, check Windows Settings. `
                : `Windows does not let programs delete this passkey (it is synced, or held by a passkey provider). `
              : `${label} cannot be changed from Passkey Desk. `}
            {store?.manage ? `Manage it in ${label}:` : ''}
          </p>
          {store?.manage && <ManageSteps manage={store.manage} storeLabel={label} />}
        </>
      )}
      {guided && (
        <div className="detail-mark">
          <p>
            Deleted it in {guided.label}? Mark it here, so reconciliation can remove it from the account on{' '}
            {passkey.rpId} too.
          </p>
          <button
            type="button"
            className="button button-small"
            onClick={() =>
              marking.open({
                store: guided.id,
                storeLabel: guided.label,
                rpId: passkey.rpId,
                credentialId: passkey.credentialId,
                userHandle: passkey.userHandle,
                passkeyName: name,
              })
            }
          >
            Mark as deleted there…
          </button>
        </div>
      )}
      {marking.dialog}
      {confirming && (
        <ConfirmDialog
          title={`Delete passkey from ${label}?`}
          effect={storeDeleteEffect(passkey, label)}
          confirmLabel={`Delete from ${label}`}
          danger
          onConfirm={() =>
            api().stores.deletePasskey({ store: passkey.store, credentialId: passkey.credentialId })
          }
          onCancel={() => setConfirming(false)}
          onDone={() => {
            setConfirming(false);
            void reload();
            toasts.show({ message: `Deleted the passkey for ${name} from ${label}.` });
          }}
        />
      )}
    </div>
  );
}
