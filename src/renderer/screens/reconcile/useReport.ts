import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReconcileReport } from '../../../shared/contract/accounts';
import type { ErrorInfo } from '../../../shared/errors';
import { api } from '../../api';

export type ReportState =
  | { status: 'loading' }
  | { status: 'ready'; report: ReconcileReport; refreshing: boolean }
  | { status: 'error'; error: ErrorInfo };

/** Reads both sides (reconcile.run) for one account, or for every account when `accountId` is null. */
export function useReport(accountId: string | null) {
  const [state, setState] = useState<ReportState>({ status: 'loading' });
  const generation = useRef(0);

  /** Only the answer to the newest read is applied. */
  const read = useCallback(() => {
    const mine = ++generation.current;
    return api()
      .reconcile.run(accountId === null ? {} : { accountId })
      .then((result) => {
        if (mine !== generation.current) return;
        setState(
          result.ok
            ? { status: 'ready', report: result.value, refreshing: false }
            : { status: 'error', error: result.error },
        );
      });
  }, [accountId]);

  /** Reads again, keeping the last report on screen meanwhile. */
  const load = useCallback(() => {
    setState((s) => (s.status === 'ready' ? { ...s, refreshing: true } : { status: 'loading' }));
    return read();
  }, [read]);

  useEffect(() => {
    void read();
  }, [read]);

  return { state, load };
}
