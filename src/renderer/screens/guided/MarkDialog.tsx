import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { DeletionMarkView } from '../../../shared/contract/stores';
import type { ErrorInfo } from '../../../shared/errors';
import { shortId } from '../../../shared/model';
import { api } from '../../api';
import { Dialog } from '../../ui/Dialog';
import { ErrorNotice } from '../../ui/ErrorNotice';

export interface MarkTarget {
  store: string;
  storeLabel: string;
  rpId: string;
  credentialId: string | null;
  userHandle: string | null;
  /** "alice on example.com" when the mark starts from a passkey. */
  passkeyName: string | null;
}

interface MarkDialogProps {
  target: MarkTarget;
  onDone: (mark: DeletionMarkView) => void;
  onCancel: () => void;
}

/** The exact effect of a mark, for the dialog's description (and its accessible description). */
export function markEffect(storeLabel: string, rpId: string, credentialId: string | null): string {
  const what = credentialId ? `the passkey ${shortId(credentialId)}` : 'your passkeys';
  const site = rpId.trim() || 'the site';
  return `Records in the journal that you deleted ${what} for ${site} in ${storeLabel}. Nothing is deleted by this: the next reconciliation offers to revoke ${credentialId ? 'it' : 'them'} on ${site}'s server too. You can undo the mark.`;
}

/** "Mark as deleted there": which site (and optionally which passkey), confirmed with the exact effect. */
export function MarkDialog({ target, onDone, onCancel }: MarkDialogProps) {
  const [rpId, setRpId] = useState(target.rpId);
  const [credentialId, setCredentialId] = useState(target.credentialId ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const siteId = useId();
  const credentialFieldId = useId();
  const fromPasskey = target.passkeyName !== null;
  const credential = credentialId.trim() || null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const result = await api().guided.mark({
      store: target.store,
      rpId: rpId.trim(),
      credentialId: credential,
      userHandle: credential === target.credentialId ? target.userHandle : null,
    });
    setBusy(false);
    if (result.ok) onDone(result.value);
    else setError(result.error);
  };

  return (
    <Dialog
      title={
        fromPasskey
          ? `Mark ${target.passkeyName ?? ''} as deleted?`
          : `Mark as deleted in ${target.storeLabel}?`
      }
      description={markEffect(target.storeLabel, rpId, credential)}
      onClose={onCancel}
    >
      <form className="dialog-form" onSubmit={(e) => void submit(e)}>
        <label className="label" htmlFor={siteId}>
          Site (RP ID)
        </label>
        <input
          id={siteId}
          className="input"
          value={rpId}
          required
          placeholder="example.com"
          autoComplete="off"
          spellCheck={false}
          data-autofocus={fromPasskey ? undefined : true}
          onChange={(e) => {
            setRpId(e.target.value);
            setError(null);
          }}
        />
        <label className="label" htmlFor={credentialFieldId}>
          Credential ID (optional)
        </label>
        <input
          id={credentialFieldId}
          className="input mono"
          value={credentialId}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => {
            setCredentialId(e.target.value);
            setError(null);
          }}
        />
        <p className="subtle">
          Leave the credential ID empty to mark every passkey for the site in this store.
        </p>
        {error && <ErrorNotice error={error} />}
        <div className="dialog-actions">
          <button
            type="button"
            className="button"
            data-autofocus={fromPasskey ? true : undefined}
            onClick={onCancel}
          >
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy || rpId.trim() === ''}>
            {busy ? 'Working…' : 'Mark as deleted'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
