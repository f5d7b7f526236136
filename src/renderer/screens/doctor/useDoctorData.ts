import { useCallback, useEffect, useState } from 'react';
import type { AccountView } from '../../../shared/contract/accounts';
import type { DoctorMessage } from '../../../shared/doctor';
import type { ErrorInfo } from '../../../shared/errors';
import { api } from '../../api';

export type DoctorData =
  | { status: 'loading' }
  | { status: 'error'; error: ErrorInfo }
  | { status: 'ready'; accounts: AccountView[]; messages: readonly DoctorMessage[] };

/** The connected accounts and the message catalogue, read once when the screen opens. */
export function useDoctorData() {
  const [data, setData] = useState<DoctorData>({ status: 'loading' });
  const load = useCallback(
    () =>
      Promise.all([api().accounts.list({}), api().doctor.messages({})]).then(([accounts, messages]) => {
        if (!accounts.ok) setData({ status: 'error', error: accounts.error });
        else if (!messages.ok) setData({ status: 'error', error: messages.error });
        else setData({ status: 'ready', accounts: accounts.value, messages: messages.value });
      }),
    [],
  );
  useEffect(() => {
    void load();
  }, [load]);
  return { data, reload: load };
}
