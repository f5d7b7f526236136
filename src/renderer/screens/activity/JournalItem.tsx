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
  'store.rename': 'Names corrected in a store',
  'server.revoke': 'Revoked on the server',
  'server.rename': 'Named on the server',
  'guided.mark-deleted': 'Marked as deleted elsewhere',
  'guided.unmark': 'Withdrew a "deleted elsewhere" mark',
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

/**
 * Whether Undo is offered: the store can undo it, it succeeded, it was not undone already, and the passkey was
 * not purged from the trash since (then nothing is left to restore).
 */
export function canUndo(entry: JournalEntry, all: readonly JournalEntry[]): boolean {
  if (entry.undo?.kind !== 'vault-restore' || entry.outcome !== 'done' || entry.undoneBy) return false;
  const id = entry.undo.credentialId;
  return !all.some(
    (e) =>
      e.action === 'vault.purge' &&
      e.outcome === 'done' &&
      e.credentialId === id &&
      e.startedAt >= entry.startedAt,
  );
}

export function JournalItem({
  entry,
  undoable,
  onUndo,
}: {
  entry: JournalEntry;
  /** canUndo(entry, every entry): decided by the list, which knows about later purges. */
  undoable: boolean;
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
      {undoable && (
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
