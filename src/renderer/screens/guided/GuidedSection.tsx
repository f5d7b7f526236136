import type { DeletionMarkView } from '../../../shared/contract/stores';
import { api } from '../../api';
import { useToasts } from '../../shell/toasts';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { GuidedCard } from './GuidedCard';
import { useGuided } from './useGuided';
import { useMarkFlow } from './useMarkFlow';
import './guided.css';

/** The Stores screen's "Managed elsewhere" section: one card per guided store, with marks and Undo. */
export function GuidedSection() {
  const { state, reload } = useGuided();
  const toasts = useToasts();
  const marking = useMarkFlow(() => void reload());

  const unmark = async (mark: DeletionMarkView) => {
    const r = await api().guided.unmark({ id: mark.id });
    if (!r.ok) toasts.showError(r.error);
    else toasts.show({ message: `Removed the mark for ${mark.rpId}.` });
    await reload();
  };

  return (
    <section className="store-section" aria-label="Managed elsewhere">
      <h2>Managed elsewhere</h2>
      <p className="subtle">
        No program can read these stores. Here is how to manage their passkeys where they live; after you
        delete one there, mark it here so reconciliation can remove it from the account too.
      </p>
      {state.status === 'loading' && (
        <p className="loading" role="status">
          Loading the guides…
        </p>
      )}
      {state.status === 'error' && <ErrorNotice error={state.error} onRetry={() => void reload()} />}
      {state.status === 'ready' && (
        <div className="store-grid">
          {state.cards.map((card) => (
            <GuidedCard
              key={card.id}
              card={card}
              marks={state.marks.filter((m) => m.store === card.id)}
              onUnmark={(m) => void unmark(m)}
              onMark={() =>
                marking.open({
                  store: card.id,
                  storeLabel: card.label,
                  rpId: '',
                  credentialId: null,
                  userHandle: null,
                  passkeyName: null,
                })
              }
            />
          ))}
        </div>
      )}
      {marking.dialog}
    </section>
  );
}
