import { useId } from 'react';
import type { MoveOutcome } from '../../../shared/contract/stores';
import { Badge } from '../../ui/Badge';

interface ImportedPasskeyItemProps {
  name: string;
  algorithm: string;
  /** Why it cannot move into the vault; null when it can. */
  reason: string | null;
  outcome: MoveOutcome | null;
  selectable: boolean;
  checked: boolean;
  onToggle: (on: boolean) => void;
}

/** One passkey of an export: a checkbox when it can move, the reason when it cannot, the outcome after a move. */
export function ImportedPasskeyItem(props: ImportedPasskeyItemProps) {
  const { name, algorithm, reason, outcome, selectable, checked, onToggle } = props;
  const id = useId();
  return (
    <li className="import-item" aria-label={name}>
      {selectable ? (
        <input
          id={id}
          type="checkbox"
          checked={checked}
          aria-label={`Move ${name} into the vault`}
          onChange={(e) => onToggle(e.target.checked)}
        />
      ) : (
        <span className="import-item-spacer" aria-hidden="true" />
      )}
      <div className="import-item-main">
        <label htmlFor={selectable ? id : undefined} className="import-item-name">
          {name}
        </label>
        <span className="subtle">{algorithm}</span>
      </div>
      <div className="import-item-status">
        {outcome?.ok === true && <Badge tone="good">Moved into the vault</Badge>}
        {outcome?.ok === false && (
          <Badge tone="bad" title={outcome.message}>
            Not moved ({outcome.code})
          </Badge>
        )}
        {!outcome && reason === null && <Badge tone="accent">Can move</Badge>}
        {reason !== null && <span className="import-reason">Cannot move: {reason}</span>}
      </div>
      {outcome?.ok === false && <p className="import-item-error">{outcome.message}</p>}
    </li>
  );
}
