import { memo } from 'react';
import type { Passkey } from '../../../shared/model';
import { shortId } from '../../../shared/model';
import { formatDate, providerLabel, storeKindLabel } from '../../format';
import { Badge } from '../../ui/Badge';
import { ProviderIcon } from '../../ui/ProviderIcon';

interface PasskeyRowProps {
  id: string;
  passkey: Passkey;
  user: string;
  storeLabel: string;
  position: number;
  total: number;
  selected: boolean;
  onSelect: (key: string) => void;
  rowKey: string;
}

/** One passkey as an option of the list: its name, store and provider badges, and dates. */
export const PasskeyRow = memo(function PasskeyRow({
  id,
  passkey,
  user,
  storeLabel,
  position,
  total,
  selected,
  onSelect,
  rowKey,
}: PasskeyRowProps) {
  const provider = providerLabel(passkey);
  const title = passkey.nickname ?? passkey.userDisplayName ?? user;
  return (
    <div
      id={id}
      role="option"
      aria-selected={selected}
      aria-posinset={position + 1}
      aria-setsize={total}
      aria-label={`${user} on ${passkey.rpId}, ${storeLabel}`}
      className={selected ? 'passkey-row is-selected' : 'passkey-row'}
      onClick={() => onSelect(rowKey)}
    >
      <ProviderIcon passkey={passkey} />
      <div className="passkey-row-main">
        <div className="passkey-row-title">
          <span className="passkey-row-name">{title}</span>
          <Badge tone="accent" title={storeLabel}>
            {storeKindLabel(passkey.storeKind)}
          </Badge>
          {provider && provider !== storeLabel && <Badge>{provider}</Badge>}
        </div>
        <div className="passkey-row-meta">
          <span>Created {formatDate(passkey.createdAt)}</span>
          <span>Last used {formatDate(passkey.lastUsedAt, 'never')}</span>
          <span className="mono">{shortId(passkey.credentialId)}</span>
        </div>
      </div>
    </div>
  );
});
