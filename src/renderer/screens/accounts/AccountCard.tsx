import type { AccountView } from '../../../shared/contract/accounts';
import { formatDateTime } from '../../format';
import { Badge } from '../../ui/Badge';
import { BrowserWait } from './BrowserWait';
import { accountName, methodLabel } from './labels';

interface AccountCardProps {
  account: AccountView;
  /** How many passkeys the server listed at the last refresh (undefined before one). */
  serverCount: number | null | undefined;
  busy: boolean;
  /** A sign-in in the system browser is under way for this account: shows the wait and its Cancel. */
  waitingForBrowser: boolean;
  onCancelBrowser: () => void;
  onReconcile: () => void;
  onSignIn: (method: 'vault' | 'browser') => void;
  onSignOut: () => void;
  onRefresh: () => void;
  onRemove: () => void;
  /** Opens "Can't sign in?" with this account picked. */
  onTroubleshoot: () => void;
}

/** One connected account: who and where, whether it is signed in and how, and what can be done with it. */
export function AccountCard(props: AccountCardProps) {
  const { account, serverCount, busy } = props;
  const name = accountName(account);
  return (
    <li className="account-card" aria-label={name}>
      <div className="account-card-main">
        <h3 className="account-card-name">
          {account.userDisplayName && account.userDisplayName !== account.userName
            ? `${account.userDisplayName} (${account.userName})`
            : account.userName}
        </h3>
        <p className="subtle wrap">
          <span className="mono">{account.serverUrl}</span> · site {account.rpId}
          {account.rpName ? ` · ${account.rpName}` : ''}
        </p>
        <p className="account-card-badges">
          {account.signedIn ? <Badge tone="good">Signed in</Badge> : <Badge tone="warn">Not signed in</Badge>}
          {account.signedIn && account.signedInWith && (
            <span className="subtle">with {methodLabel(account.signedInWith)}</span>
          )}
          {account.signedIn && account.sessionExpiresAt && (
            <span className="subtle">until {formatDateTime(account.sessionExpiresAt)}</span>
          )}
          {serverCount !== undefined && serverCount !== null && (
            <span className="subtle">
              · the server lists {serverCount} passkey{serverCount === 1 ? '' : 's'}
            </span>
          )}
        </p>
      </div>
      <div className="account-card-actions">
        <button type="button" className="button button-primary" disabled={busy} onClick={props.onReconcile}>
          Reconcile
        </button>
        {account.signedIn ? (
          <button type="button" className="button" disabled={busy} onClick={props.onSignOut}>
            Sign out
          </button>
        ) : (
          <>
            <button type="button" className="button" disabled={busy} onClick={() => props.onSignIn('vault')}>
              Sign in with the vault
            </button>
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => props.onSignIn('browser')}
            >
              Sign in with the browser
            </button>
          </>
        )}
        {props.waitingForBrowser && <BrowserWait onCancel={props.onCancelBrowser} />}
        <button type="button" className="button" disabled={busy} onClick={props.onRefresh}>
          Refresh
        </button>
        <button type="button" className="button" onClick={props.onTroubleshoot}>
          Can't sign in?
        </button>
        <button type="button" className="button button-danger" disabled={busy} onClick={props.onRemove}>
          Remove…
        </button>
      </div>
    </li>
  );
}
