import { useId } from 'react';
import type { OldPasskey } from '../../../shared/contract/doctor';
import { formatDate } from '../../format';
import { Badge } from '../../ui/Badge';
import { passkeyName } from './labels';

interface OldPasskeysProps {
  candidates: OldPasskey[];
  /** The passkey just created for this device (never offered for removal). */
  newId: string | null;
  chosen: ReadonlySet<string>;
  onToggle: (credentialId: string, on: boolean) => void;
}

/** The account's passkeys as the server lists them, each with a checkbox: "this one was on an old device". */
export function OldPasskeys({ candidates, newId, chosen, onToggle }: OldPasskeysProps) {
  const shown = candidates.filter((c) => c.credentialId !== newId);
  if (shown.length === 0)
    return <p className="subtle">The account has no other passkey: nothing old to remove.</p>;
  return (
    <ul className="doctor-old-list" aria-label="The account's other passkeys">
      {shown.map((c) => (
        <OldPasskeyItem
          key={c.credentialId}
          candidate={c}
          checked={chosen.has(c.credentialId)}
          onToggle={onToggle}
        />
      ))}
    </ul>
  );
}

function OldPasskeyItem({
  candidate: c,
  checked,
  onToggle,
}: {
  candidate: OldPasskey;
  checked: boolean;
  onToggle: (credentialId: string, on: boolean) => void;
}) {
  const id = useId();
  const detailId = useId();
  return (
    <li className="doctor-old">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        aria-describedby={detailId}
        onChange={(e) => onToggle(c.credentialId, e.currentTarget.checked)}
      />
      <label htmlFor={id} className="doctor-old-label">
        {passkeyName(c)} <span className="mono">{c.shortId}</span>
      </label>
      <p id={detailId} className="subtle doctor-old-detail">
        {c.onThisComputer && <Badge tone="accent">On this computer</Badge>} Created {formatDate(c.createdAt)}{' '}
        · last used {formatDate(c.lastUsedAt, 'never')}
      </p>
    </li>
  );
}
