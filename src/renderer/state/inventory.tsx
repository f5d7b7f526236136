import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { ErrorInfo } from '../../shared/errors';
import type { Inventory } from '../../shared/model';
import { api } from '../api';

export type InventoryState =
  | { status: 'loading' }
  | { status: 'ready'; inventory: Inventory; refreshing: boolean }
  | { status: 'error'; error: ErrorInfo; last: Inventory | null };

interface InventoryContextValue {
  state: InventoryState;
  /** Re-reads every store. Keeps showing the last inventory while it runs. */
  reload: () => Promise<void>;
}

const InventoryContext = createContext<InventoryContextValue | null>(null);

/** One inventory for every screen: read once at start, re-read after every change the app makes. */
export function InventoryProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<InventoryState>({ status: 'loading' });
  const generation = useRef(0);

  /** Reads the inventory; only the answer to the newest read is applied. */
  const read = useCallback(() => {
    const mine = ++generation.current;
    return api()
      .inventory.get({})
      .then((result) => {
        if (mine !== generation.current) return;
        setState((s) => {
          if (result.ok) return { status: 'ready', inventory: result.value, refreshing: false };
          const last = s.status === 'ready' ? s.inventory : s.status === 'error' ? s.last : null;
          return { status: 'error', error: result.error, last };
        });
      });
  }, []);

  const reload = useCallback(() => {
    setState((s) => (s.status === 'ready' ? { ...s, refreshing: true } : s));
    return read();
  }, [read]);

  useEffect(() => {
    void read();
  }, [read]);

  const value = useMemo(() => ({ state, reload }), [state, reload]);
  return <InventoryContext.Provider value={value}>{children}</InventoryContext.Provider>;
}

export function useInventory(): InventoryContextValue {
  const value = useContext(InventoryContext);
  if (!value) throw new Error('useInventory outside InventoryProvider');
  return value;
}

/** The inventory to show: the current one, or the last one read before an error. */
export function shownInventory(state: InventoryState): Inventory | null {
  switch (state.status) {
    case 'loading':
      return null;
    case 'ready':
      return state.inventory;
    case 'error':
      return state.last;
  }
}
