import { useCallback, useEffect, useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import type { JournalEntry } from '../../../shared/journal';
import { api } from '../../api';
import { plural } from '../../format';
import type { ScreenProps } from '../../shell/navigation';
import { useToasts } from '../../shell/toasts';
import { useInventory } from '../../state/inventory';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { canUndo, JournalItem } from './JournalItem';
import { PendingPlans } from './PendingPlans';
import './activity.css';

type JournalState =
  | { status: 'loading' }
  | { status: 'ready'; entries: JournalEntry[] }
  | { status: 'error'; error: ErrorInfo };

const newestFirst = (a: JournalEntry, b: JournalEntry) => b.startedAt.localeCompare(a.startedAt);

/** The journal: every destructive step Passkey Desk ran (or began), newest first, with undo where it exists. */
export function ActivityScreen(_props: ScreenProps) {
  const [state, setState] = useState<JournalState>({ status: 'loading' });
  const inventory = useInventory();
  const toasts = useToasts();

  const load = useCallback(
    () =>
      api()
        .journal.list({})
        .then((result) =>
          setState(
            result.ok
              ? { status: 'ready', entries: [...result.value].sort(newestFirst) }
              : { status: 'error', error: result.error },
          ),
        ),
    [],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const undo = async (entry: JournalEntry) => {
    if (entry.undo?.kind !== 'vault-restore') return;
    const result = await api().vault.restore({ credentialId: entry.undo.credentialId });
    if (!result.ok) {
      toasts.showError(result.error);
      return;
    }
    toasts.show({
      message: `Restored the passkey for ${result.value.userName ?? 'an account'} on ${result.value.rpId}.`,
    });
    await Promise.all([load(), inventory.reload()]);
  };

  return (
    <div className="screen screen-activity">
      <header className="screen-header">
        <div>
          <h1>Activity</h1>
          <p className="subtle">
            Every deletion, revoke and mark Passkey Desk made, newest first. Each step is written here before
            it runs.
          </p>
        </div>
        <button type="button" className="button" onClick={() => void load()}>
          Refresh
        </button>
      </header>
      <PendingPlans onChanged={() => void Promise.all([load(), inventory.reload()])} />
      {state.status === 'loading' && (
        <p className="loading" role="status">
          Reading the journal…
        </p>
      )}
      {state.status === 'error' && <ErrorNotice error={state.error} onRetry={() => void load()} />}
      {state.status === 'ready' && state.entries.length === 0 && (
        <p className="subtle activity-empty">
          Nothing yet: Passkey Desk has not changed any store or server.
        </p>
      )}
      {state.status === 'ready' && state.entries.length > 0 && (
        <>
          <p className="result-count">{plural(state.entries.length, 'step')}</p>
          <ul className="journal-list" aria-label="Activity">
            {state.entries.map((entry) => (
              <JournalItem
                key={entry.id}
                entry={entry}
                undoable={canUndo(entry, state.entries)}
                onUndo={(e) => void undo(e)}
              />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
