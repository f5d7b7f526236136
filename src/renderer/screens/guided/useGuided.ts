import { useCallback, useEffect, useState } from 'react';
import type { DeletionMarkView, GuidedCardView } from '../../../shared/contract/stores';
import type { ErrorInfo } from '../../../shared/errors';
import { api } from '../../api';

export type GuidedState =
  | { status: 'loading' }
  | { status: 'ready'; cards: GuidedCardView[]; marks: DeletionMarkView[] }
  | { status: 'error'; error: ErrorInfo };

/** The guided stores' cards (fixed for this computer) and the "deleted there" marks, re-read after each change. */
export function useGuided() {
  const [state, setState] = useState<GuidedState>({ status: 'loading' });

  const load = useCallback(
    () =>
      Promise.all([api().guided.cards({}), api().guided.marks({})]).then(([cards, marks]) => {
        if (!cards.ok) setState({ status: 'error', error: cards.error });
        else if (!marks.ok) setState({ status: 'error', error: marks.error });
        else setState({ status: 'ready', cards: cards.value, marks: marks.value });
      }),
    [],
  );

  useEffect(() => {
    void load();
  }, [load]);

  return { state, reload: load };
}

/** Just the cards, for the passkey details (which offer "Mark as deleted there" where a card fits). */
export function useGuidedCards(): GuidedCardView[] {
  const [cards, setCards] = useState<GuidedCardView[]>([]);
  useEffect(() => {
    let live = true;
    void api()
      .guided.cards({})
      .then((r) => {
        if (live && r.ok) setCards(r.value);
      });
    return () => {
      live = false;
    };
  }, []);
  return cards;
}
