import type { Passkey } from '../../../shared/model';
import { shortId } from '../../../shared/model';
import { userLabel } from '../../format';
import { ProviderIcon } from '../../ui/ProviderIcon';

interface TrashItemProps {
  passkey: Passkey;
  deleted: string;
  onRestore: () => void;
  onPurge: () => void;
}

export function TrashItem({ passkey, deleted, onRestore, onPurge }: TrashItemProps) {
  const name = `${userLabel(passkey)} on ${passkey.rpId}`;
  return (
    <li className="trash-item" aria-label={name}>
      <ProviderIcon passkey={passkey} />
      <div className="trash-item-main">
        <p className="trash-item-name">{name}</p>
        <p className="subtle">
          Deleted {deleted} · <span className="mono">{shortId(passkey.credentialId)}</span>
          {passkey.nickname ? ` · “${passkey.nickname}”` : ''}
        </p>
      </div>
      <div className="trash-item-actions">
        <button type="button" className="button" onClick={onRestore} aria-label={`Restore ${name}`}>
          Restore
        </button>
        <button type="button" className="button button-danger" onClick={onPurge} aria-label={`Purge ${name}`}>
          Purge…
        </button>
      </div>
    </li>
  );
}
