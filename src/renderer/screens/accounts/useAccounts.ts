import { useCallback, useEffect, useState } from 'react';
import type { AccountView } from '../../../shared/contract/accounts';
import type { ErrorInfo } from '../../../shared/errors';
import { api } from '../../api';

export type AccountsState =
  | { status: 'loading' }
  | { status: 'ready'; accounts: AccountView[] }
  | { status: 'error'; error: ErrorInfo };

/** The connected accounts (accounts.list), and per account the passkey count its last refresh returned. */
export function useAccounts() {
  const [state, setState] = useState<AccountsState>({ status: 'loading' });
  const [counts, setCounts] = useState<Readonly<Record<string, number | null>>>({});

  const load = useCallback(
    () =>
      api()
        .accounts.list({})
        .then((result) =>
          setState(
            result.ok
              ? { status: 'ready', accounts: result.value }
              : { status: 'error', error: result.error },
          ),
        ),
    [],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const remember = (accountId: string, count: number | null) =>
    setCounts((c) => ({ ...c, [accountId]: count }));
  return { state, counts, load, remember };
}
