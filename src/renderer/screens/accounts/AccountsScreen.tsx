import { useRef, useState } from 'react';
import { SESSION_LEFT_OPEN, type AccountView } from '../../../shared/contract/accounts';
import type { ErrorInfo } from '../../../shared/errors';
import type { Result } from '../../../shared/result';
import { api } from '../../api';
import type { ScreenProps } from '../../shell/navigation';
import { useToasts } from '../../shell/toasts';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { PendingPlans } from '../activity/PendingPlans';
import { openTroubleshooter } from '../doctor/target';
import { ReconcileView } from '../reconcile/ReconcileView';
import { AccountCard } from './AccountCard';
import { AddAccountForm } from './AddAccountForm';
import { accountName } from './labels';
import { UnassignedPasskeys } from './UnassignedPasskeys';
import { useAccounts } from './useAccounts';
import './accounts.css';

export function removeEffect(account: AccountView): string {
  return `Signs out of ${account.serverUrl} and forgets the account ${accountName(account)} on this computer. Passkeys are not touched, here or on the server.`;
}

/** Connected accounts: add one by its server's address, sign in and out, refresh, remove, and reconcile. */
export function AccountsScreen({ navigate }: ScreenProps) {
  const { state, counts, load, remember } = useAccounts();
  const [reconciling, setReconciling] = useState<AccountView | null>(null);
  const [removing, setRemoving] = useState<AccountView | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [browserWait, setBrowserWait] = useState<string | null>(null);
  /** The user pressed Cancel on the browser wait: the sign-in's USER_CANCELLED is then no news to them. */
  const cancelled = useRef(false);
  const [prefill, setPrefill] = useState({ url: '', key: 0 });
  const [version, setVersion] = useState(0);
  const toasts = useToasts();

  if (reconciling)
    return (
      <ReconcileView
        account={reconciling}
        navigate={navigate}
        onBack={() => {
          setReconciling(null);
          void load();
        }}
      />
    );

  const act = async <T,>(
    account: AccountView,
    call: () => Promise<Result<T>>,
    done: (value: T) => string,
    quiet: (error: ErrorInfo) => boolean = () => false,
  ) => {
    setBusy(account.id);
    const result = await call();
    // Another card may have become busy meanwhile (a second browser sign-in replaces the first): leave it so.
    setBusy((id) => (id === account.id ? null : id));
    if (!result.ok) return quiet(result.error) ? undefined : toasts.showError(result.error);
    toasts.show({ message: done(result.value) });
    await load();
  };

  const refresh = (account: AccountView) =>
    act(
      account,
      () => api().accounts.refresh({ accountId: account.id }),
      (refreshed) => {
        const r = refreshed[0];
        remember(account.id, r?.credentials ?? null);
        return r?.error
          ? `${accountName(account)}: ${r.error.message}`
          : `Refreshed ${accountName(account)}.`;
      },
    );

  return (
    <div className="screen screen-accounts">
      <header className="screen-header">
        <div>
          <h1>Accounts</h1>
          <p className="subtle">
            Connect your accounts on passkey servers to compare their passkeys with the ones on this computer.
            Sign-in sessions stay in the system keyring.
          </p>
        </div>
      </header>
      <PendingPlans />
      {state.status === 'loading' && (
        <p className="loading" role="status">
          Reading your accounts…
        </p>
      )}
      {state.status === 'error' && <ErrorNotice error={state.error} onRetry={() => void load()} />}
      {state.status === 'ready' && state.accounts.length === 0 && (
        <p className="subtle accounts-empty">No account connected yet. Connect one below.</p>
      )}
      {state.status === 'ready' && state.accounts.length > 0 && (
        <ul className="account-list" aria-label="Connected accounts">
          {state.accounts.map((account) => (
            <AccountCard
              key={account.id}
              account={account}
              serverCount={counts[account.id]}
              busy={busy === account.id}
              waitingForBrowser={browserWait === account.id}
              onCancelBrowser={() => (cancelled.current = true)}
              onReconcile={() => setReconciling(account)}
              onSignIn={(method) => {
                cancelled.current = false;
                if (method === 'browser') setBrowserWait(account.id);
                void act(
                  account,
                  () => api().accounts.signIn({ accountId: account.id, method }),
                  () => `Signed in to ${accountName(account)}.`,
                  (error) => cancelled.current && error.code === 'USER_CANCELLED',
                ).finally(() => setBrowserWait((id) => (id === account.id ? null : id)));
              }}
              onSignOut={() =>
                void act(
                  account,
                  () => api().accounts.signOut({ accountId: account.id }),
                  ({ sessionLeftOpen }) =>
                    `Signed out of ${accountName(account)}.${sessionLeftOpen ? ` ${SESSION_LEFT_OPEN}` : ''}`,
                )
              }
              onRefresh={() => void refresh(account)}
              onRemove={() => setRemoving(account)}
              onTroubleshoot={() => openTroubleshooter(navigate, { accountId: account.id })}
            />
          ))}
        </ul>
      )}
      <AddAccountForm
        key={`form-${prefill.key}`}
        initialUrl={prefill.url}
        onAdded={(account) => {
          toasts.show({ message: `Connected ${accountName(account)}.` });
          setVersion((v) => v + 1);
          void load();
        }}
      />
      <UnassignedPasskeys
        key={`unassigned-${version}`}
        onConnect={(rpId) => {
          setPrefill((p) => ({ url: `https://${rpId}`, key: p.key + 1 }));
          requestAnimationFrame(() => document.getElementById('add-account-url')?.focus());
        }}
      />
      {removing && (
        <ConfirmDialog
          title="Remove this account?"
          effect={removeEffect(removing)}
          confirmLabel="Remove account"
          danger
          onConfirm={() => api().accounts.remove({ accountId: removing.id })}
          onCancel={() => setRemoving(null)}
          onDone={({ signedOut, sessionLeftOpen }) => {
            toasts.show({
              message: `Removed ${accountName(removing)}${signedOut ? ' and signed out' : ''}.${sessionLeftOpen ? ` ${SESSION_LEFT_OPEN}` : ''}`,
            });
            setRemoving(null);
            setVersion((v) => v + 1);
            void load();
          }}
        />
      )}
    </div>
  );
}
