import { useId } from 'react';
import type { AccountView } from '../../../shared/contract/accounts';
import { accountLabel } from './labels';

/** The account to troubleshoot; "" means this computer only (the machine checks, no account's passkeys). */
export function AccountPicker({
  accounts,
  value,
  onChange,
  allowNone,
}: {
  accounts: AccountView[];
  value: string;
  onChange: (accountId: string) => void;
  allowNone: boolean;
}) {
  const id = useId();
  return (
    <div className="doctor-account">
      <label htmlFor={id} className="label">
        Account
      </label>
      <select id={id} className="input" value={value} onChange={(e) => onChange(e.target.value)}>
        {allowNone && <option value="">No account: check this computer only</option>}
        {accounts.map((a) => (
          <option key={a.id} value={a.id}>
            {accountLabel(a)} ({a.serverUrl})
          </option>
        ))}
      </select>
    </div>
  );
}
