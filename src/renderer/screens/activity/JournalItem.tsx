import { missingCase } from '../../../shared/errors';
import type { JournalEntry } from '../../../shared/journal';
import { shortId } from '../../../shared/model';
import { formatDateTime } from '../../format';
import { Badge } from '../../ui/Badge';
import type { BadgeTone } from '../../ui/Badge';

const ACTIONS: Readonly<Record<string, string>> = {
  'vault.delete': 'Deleted from the vault',
  'vault.purge': 'Purged from the vault trash',
  'store.delete': 'Deleted from a store',
  'server.revoke': 'Revoked on the server',
  'server.rename': 'Named on the server',
  'guided.mark-deleted': 'Marked as deleted elsewhere',
};

/** The journal's action name as a sentence; actions this screen does not know keep their own name. */
export function actionName(action: string): string {
  return ACTIONS[action] ?? action;
}

export function outcomeOf(entry: JournalEntry): { label: string; tone: BadgeTone } {
  if (entry.undoneBy) return { label: 'Undone', tone: 'neutral' };
  switch (entry.outcome) {
    case 'done':
      return { label: 'Done', tone: 'good' };
    case 'failed':
      return { label: 'Failed', tone: 'bad' };
    case 'pending':
      return { label: 'Pending', tone: 'warn' };
    default:
      return missingCase(entry.outcome);
  }
}

/** Whether Undo is offered: the store can undo it, it succeeded, and it was not undone already. */
export function canUndo(entry: JournalEntry): boolean {
  return entry.undo?.kind === 'vault-restore' && entry.outcome === 'done' && !entry.undoneBy;
}

export function JournalItem({
  entry,
  onUndo,
}: {
  entry: JournalEntry;
  onUndo: (entry: JournalEntry) => void;
}) {
  const outcome = outcomeOf(entry);
  const name = actionName(entry.action);
  return (
    <li
      className="journal-item"
      aria-label={`${name}: ${outcome.label}`}
      data-outcome={outcome.label.toLowerCase()}
    >
      <div className="journal-item-main">
        <p className="journal-item-title">
          <Badge tone={outcome.tone}>{outcome.label}</Badge> {name}
        </p>
        <p className="journal-item-effect">{entry.effect}</p>
        <p className="subtle journal-item-meta">
          {formatDateTime(entry.startedAt)}
          {entry.credentialId ? (
            <>
              {' · passkey '}
              <span className="mono">{shortId(entry.credentialId)}</span>
            </>
          ) : null}
          {entry.planId ? ' · part of a plan' : ''}
          {entry.undo === null ? ' · cannot be undone' : ''}
          {entry.undoneBy ? ` · undone (${entry.undoneBy})` : ''}
        </p>
        {entry.error && (
          <p className="journal-item-error">
            {entry.error.message} <span className="subtle">({entry.error.code})</span>
          </p>
        )}
      </div>
      {canUndo(entry) && (
        <button
          type="button"
          className="button"
          onClick={() => onUndo(entry)}
          aria-label={`Undo: ${entry.effect}`}
        >
          Undo
        </button>
      )}
    </li>
  );
}
