import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import type { Passkey } from '../../../shared/model';
import { api } from '../../api';
import { userLabel } from '../../format';
import { Dialog } from '../../ui/Dialog';
import { ErrorNotice } from '../../ui/ErrorNotice';

interface RenameDialogProps {
  passkey: Passkey;
  onDone: (passkey: Passkey) => void;
  onCancel: () => void;
}

/** Sets the vault nickname: a label for this computer only, never sent to the site. Empty clears it. */
export function RenameDialog({ passkey, onDone, onCancel }: RenameDialogProps) {
  const inputId = useId();
  const [nickname, setNickname] = useState(passkey.nickname ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const trimmed = nickname.trim();
    const result = await api().vault.rename({
      credentialId: passkey.credentialId,
      nickname: trimmed === '' ? null : trimmed,
    });
    setBusy(false);
    if (result.ok) onDone(result.value);
    else setError(result.error);
  };

  return (
    <Dialog
      title="Rename passkey"
      description={`A nickname for the passkey for ${userLabel(passkey)} on ${passkey.rpId}. It stays in Passkey Desk and is never sent to the site. Leave it empty to remove the nickname.`}
      onClose={onCancel}
    >
      <form onSubmit={(e) => void submit(e)}>
        <label htmlFor={inputId} className="label">
          Nickname
        </label>
        <input
          id={inputId}
          className="input"
          data-autofocus
          value={nickname}
          maxLength={120}
          onChange={(e) => setNickname(e.target.value)}
        />
        {error && <ErrorNotice error={error} />}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
