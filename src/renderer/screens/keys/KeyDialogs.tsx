import { useId, useState } from 'react';
import { missingCase } from '../../../shared/errors';
import type { Passkey } from '../../../shared/model';
import type { SecurityKeyFacts } from '../../../shared/security-key';
import { api } from '../../api';
import { userLabel } from '../../format';
import { PinDialog } from './PinDialog';

export type KeyDialog =
  | { kind: 'show'; key: SecurityKeyFacts }
  | { kind: 'delete'; key: SecurityKeyFacts; passkey: Passkey }
  | { kind: 'rename'; key: SecurityKeyFacts; passkey: Passkey };

interface KeyDialogsProps {
  dialog: KeyDialog;
  onListed: (value: { key: SecurityKeyFacts; passkeys: Passkey[] }) => void;
  onDeleted: (passkey: Passkey) => void;
  onRenamed: (passkey: Passkey) => void;
  onCancel: () => void;
}

/** The three calls that need the key's PIN; each asks for it again, so no PIN outlives its dialog. */
export function KeyDialogs({ dialog, onListed, onDeleted, onRenamed, onCancel }: KeyDialogsProps) {
  const key = dialog.key;
  switch (dialog.kind) {
    case 'show':
      return (
        <PinDialog
          title={`Show passkeys on ${key.label}`}
          description="Reads the passkeys stored on the key (sites and accounts, never private keys). Enter the key’s PIN; it is used for this one read and not kept."
          keyLabel={key.label}
          confirmLabel="Show passkeys"
          run={(pin) => api().keys.credentials({ key: key.id, pin })}
          onDone={onListed}
          onCancel={onCancel}
        />
      );
    case 'delete': {
      const p = dialog.passkey;
      return (
        <PinDialog
          title="Delete passkey from the security key?"
          description={`Deletes the passkey for ${userLabel(p)} on ${p.rpId} from ${key.label}. This cannot be undone: a security key has no trash, and you will not be able to sign in to ${p.rpId} with this passkey again. The account on ${p.rpId} still lists it until you remove it there too.`}
          keyLabel={key.label}
          confirmLabel="Delete for good"
          danger
          run={(pin) => api().keys.delete({ key: key.id, credentialId: p.credentialId, pin })}
          onDone={() => onDeleted(p)}
          onCancel={onCancel}
        />
      );
    }
    case 'rename':
      return <RenameOnKey keyFacts={key} passkey={dialog.passkey} onDone={onRenamed} onCancel={onCancel} />;
    default:
      return missingCase(dialog);
  }
}

function RenameOnKey(props: {
  keyFacts: SecurityKeyFacts;
  passkey: Passkey;
  onDone: (p: Passkey) => void;
  onCancel: () => void;
}) {
  const { keyFacts: key, passkey: p } = props;
  const [userName, setUserName] = useState(p.userName ?? '');
  const [displayName, setDisplayName] = useState(p.userDisplayName ?? '');
  const nameId = useId();
  const displayId = useId();
  const changed = userName !== (p.userName ?? '') || displayName !== (p.userDisplayName ?? '');
  return (
    <PinDialog
      title="Rename passkey on the security key"
      description={`Changes the user name and display name stored with the passkey for ${p.rpId} on ${key.label}. The account on ${p.rpId} is not changed.`}
      keyLabel={key.label}
      confirmLabel="Save on the key"
      canSubmit={changed}
      run={(pin) =>
        api().keys.rename({
          key: key.id,
          credentialId: p.credentialId,
          pin,
          ...(userName !== (p.userName ?? '') ? { userName } : {}),
          ...(displayName !== (p.userDisplayName ?? '') ? { userDisplayName: displayName } : {}),
        })
      }
      onDone={props.onDone}
      onCancel={props.onCancel}
    >
      <label className="label" htmlFor={nameId}>
        User name
      </label>
      <input
        id={nameId}
        className="input"
        value={userName}
        maxLength={64}
        autoComplete="off"
        onChange={(e) => setUserName(e.target.value)}
      />
      <label className="label" htmlFor={displayId}>
        Display name
      </label>
      <input
        id={displayId}
        className="input"
        value={displayName}
        maxLength={64}
        autoComplete="off"
        onChange={(e) => setDisplayName(e.target.value)}
      />
    </PinDialog>
  );
}
