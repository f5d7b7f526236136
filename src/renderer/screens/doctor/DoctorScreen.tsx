import { useEffect, useState } from 'react';
import type { AccountView } from '../../../shared/contract/accounts';
import type { MessageKey } from '../../../shared/doctor';
import type { ScreenProps } from '../../shell/navigation';
import { useToasts } from '../../shell/toasts';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { AccountPicker } from './AccountPicker';
import { AskForm } from './AskForm';
import { accountLabel } from './labels';
import { NewDeviceFlow } from './NewDeviceFlow';
import { RunResult } from './RunResult';
import { clearTarget, peekTarget } from './target';
import type { DoctorTarget } from './target';
import { useDoctorData } from './useDoctorData';
import { useDoctorRun } from './useDoctorRun';
import './doctor.css';

type Mode = 'troubleshoot' | 'new-device';

function defaultAccount(accounts: AccountView[], target: DoctorTarget): string {
  const byId = accounts.find((a) => a.id === target.accountId);
  const bySite = accounts.find((a) => a.rpId === target.rpId);
  return (byId ?? bySite ?? (accounts.length === 1 ? accounts[0] : undefined))?.id ?? '';
}

/** "Can't sign in?": pick the account and the message, run the checks, read the findings, apply a fix. */
export function DoctorScreen({ navigate }: ScreenProps) {
  const [target] = useState(peekTarget);
  useEffect(() => clearTarget(), []);
  const { data, reload } = useDoctorData();
  // null until the person picks: the entry point's account (or the only one) is the default.
  const [picked, setPicked] = useState<string | null>(null);
  const [message, setMessage] = useState<MessageKey | null>(null);
  const [mode, setMode] = useState<Mode>('troubleshoot');
  const doctor = useDoctorRun();
  const toasts = useToasts();
  const afterFix = () => {
    toasts.show({ message: 'The fix ran. Running the checks again…' });
    doctor.again();
  };

  const accounts = data.status === 'ready' ? data.accounts : [];
  const accountId = picked ?? defaultAccount(accounts, target);
  const account = accounts.find((a) => a.id === accountId) ?? null;

  return (
    <div className="screen screen-doctor">
      <header className="screen-header">
        <div>
          <h1>Can't sign in?</h1>
          <p className="subtle">
            Pick the account and the message you saw. Passkey Desk checks this computer, the account's server
            and the passkeys on both sides, and shows the most likely cause first. It only reads: a fix runs
            only after you confirm it.
          </p>
        </div>
        {mode === 'troubleshoot' ? (
          <button type="button" className="button" onClick={() => setMode('new-device')}>
            I got a new device
          </button>
        ) : (
          <button type="button" className="button" onClick={() => setMode('troubleshoot')}>
            Troubleshoot a message instead
          </button>
        )}
      </header>
      {data.status === 'loading' && (
        <p className="loading" role="status">
          Reading your accounts…
        </p>
      )}
      {data.status === 'error' && <ErrorNotice error={data.error} onRetry={() => void reload()} />}
      {data.status === 'ready' && (
        <>
          {accounts.length === 0 ? (
            <p className="notice doctor-no-account">
              No account is connected, so only this computer is checked.{' '}
              <button type="button" className="button button-small" onClick={() => navigate('accounts')}>
                Connect an account
              </button>
            </p>
          ) : (
            <AccountPicker
              accounts={accounts}
              value={accountId}
              onChange={setPicked}
              allowNone={mode === 'troubleshoot'}
            />
          )}
          {mode === 'new-device' ? (
            account ? (
              <NewDeviceFlow key={account.id} accountId={account.id} accountName={accountLabel(account)} />
            ) : (
              <p className="subtle">Pick the account the new device should sign in to.</p>
            )
          ) : (
            <>
              <AskForm
                messages={data.messages}
                message={message}
                onMessage={setMessage}
                onNewDevice={() => setMode('new-device')}
                hasAccount={account !== null}
                running={doctor.running}
                onRun={() => void doctor.start({ accountId: account?.id ?? null, message })}
              />
              {doctor.error && <ErrorNotice error={doctor.error} />}
              {doctor.run && <RunResult run={doctor.run} refreshing={doctor.running} onApplied={afterFix} />}
            </>
          )}
        </>
      )}
    </div>
  );
}
