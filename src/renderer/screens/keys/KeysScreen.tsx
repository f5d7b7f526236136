import { useCallback, useEffect, useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import type { Passkey } from '../../../shared/model';
import type { SecurityKeyFacts } from '../../../shared/security-key';
import { api } from '../../api';
import { userLabel } from '../../format';
import type { ScreenProps } from '../../shell/navigation';
import { useToasts } from '../../shell/toasts';
import { useInventory } from '../../state/inventory';
import { KeyCard } from './KeyCard';
import { KeyDialogs } from './KeyDialogs';
import type { KeyDialog } from './KeyDialogs';
import { KeyPasskeys } from './KeyPasskeys';
import { KeyProblem } from './KeyProblem';
import './keys.css';

type Listing = { key: SecurityKeyFacts; passkeys: Passkey[] } | null;
type KeysState =
  | { status: 'loading' }
  | { status: 'ready'; keys: SecurityKeyFacts[] }
  | { status: 'error'; error: ErrorInfo };

/**
 * FIDO2 security keys (issue #7): what each plugged-in key is, and with its PIN the passkeys on it, grouped by
 * site, to delete or rename. Each PIN is asked for one call and dropped; leaving the screen drops the listing too.
 */
export function KeysScreen(_props: ScreenProps) {
  const [state, setState] = useState<KeysState>({ status: 'loading' });
  const [listing, setListing] = useState<Listing>(null);
  const [dialog, setDialog] = useState<KeyDialog | null>(null);
  const toasts = useToasts();
  const { reload } = useInventory();

  const load = useCallback(
    () =>
      api()
        .keys.list({})
        .then((r) =>
          setState(r.ok ? { status: 'ready', keys: r.value } : { status: 'error', error: r.error }),
        ),
    [],
  );
  useEffect(() => {
    void load();
  }, [load]);
  const refresh = () => {
    setState({ status: 'loading' });
    void load();
  };

  const deleted = (p: Passkey) => {
    setDialog(null);
    setListing(
      (l) =>
        l && {
          // The slot the passkey held is free again.
          key: {
            ...l.key,
            remainingSlots: l.key.remainingSlots === null ? null : l.key.remainingSlots + 1,
            existingCredentials: l.key.existingCredentials === null ? null : l.key.existingCredentials - 1,
          },
          passkeys: l.passkeys.filter((x) => x.credentialId !== p.credentialId),
        },
    );
    void reload();
    toasts.show({ message: `Deleted the passkey for ${userLabel(p)} on ${p.rpId} from the security key.` });
  };
  const renamed = (p: Passkey) => {
    setDialog(null);
    setListing(
      (l) => l && { ...l, passkeys: l.passkeys.map((x) => (x.credentialId === p.credentialId ? p : x)) },
    );
    toasts.show({ message: `Saved the new name of the passkey on ${p.rpId}.` });
  };

  return (
    <div className="screen screen-keys">
      <header className="screen-header">
        <div>
          <h1>Security keys</h1>
          <p className="subtle">FIDO2 keys plugged into this computer, and the passkeys stored on them.</p>
        </div>
        <button type="button" className="button" onClick={refresh}>
          Refresh
        </button>
      </header>
      {state.status === 'loading' && (
        <p className="loading" role="status">
          Looking for security keys…
        </p>
      )}
      {state.status === 'error' && <KeyProblem error={state.error} onRetry={refresh} />}
      {state.status === 'ready' && state.keys.length === 0 && (
        <div className="empty-keys">
          <h2>No security key is plugged in</h2>
          <p>
            Plug in a FIDO2 key such as a YubiKey, then choose Refresh. Keys connected over NFC or Bluetooth
            are not read here.
          </p>
        </div>
      )}
      {state.status === 'ready' && state.keys.length > 0 && (
        <div className="store-grid">
          {state.keys.map((k) => (
            <KeyCard
              key={k.id}
              keyFacts={listing?.key.id === k.id ? listing.key : k}
              onShow={() => setDialog({ kind: 'show', key: k })}
            />
          ))}
        </div>
      )}
      {listing && (
        <KeyPasskeys
          keyFacts={listing.key}
          passkeys={listing.passkeys}
          onHide={() => setListing(null)}
          onDelete={(passkey) => setDialog({ kind: 'delete', key: listing.key, passkey })}
          onRename={(passkey) => setDialog({ kind: 'rename', key: listing.key, passkey })}
        />
      )}
      {dialog && (
        <KeyDialogs
          dialog={dialog}
          onCancel={() => setDialog(null)}
          onListed={(value) => {
            setDialog(null);
            setListing(value);
          }}
          onDeleted={deleted}
          onRenamed={renamed}
        />
      )}
    </div>
  );
}
