import { useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { AccountView } from '../../../shared/contract/accounts';
import type { ErrorInfo } from '../../../shared/errors';
import { missingCase } from '../../../shared/errors';
import { api } from '../../api';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { BrowserWait } from './BrowserWait';
import type { AddMethod } from './labels';

const METHODS: readonly { id: AddMethod; label: string; hint: string }[] = [
  {
    id: 'vault',
    label: 'Sign in with the vault',
    hint: 'The Passkey Desk vault already holds a passkey for this account.',
  },
  {
    id: 'create',
    label: 'Create an account with a new vault passkey',
    hint: 'Signs up on the server; the new passkey is kept in the Passkey Desk vault.',
  },
  {
    id: 'browser',
    label: 'Sign in with the browser',
    hint: 'Opens the server’s sign-in page in your browser, for a passkey on a phone or in a password manager.',
  },
];

function submitLabel(method: AddMethod): string {
  switch (method) {
    case 'vault':
      return 'Sign in and connect';
    case 'create':
      return 'Create account';
    case 'browser':
      return 'Open the browser';
    default:
      return missingCase(method);
  }
}

/** Connects an account by its server's address: discovery, then the sign-in the user picks. */
export function AddAccountForm({
  initialUrl,
  onAdded,
}: {
  initialUrl: string;
  onAdded: (account: AccountView) => void;
}) {
  const [serverUrl, setServerUrl] = useState(initialUrl);
  const [userName, setUserName] = useState('');
  const [method, setMethod] = useState<AddMethod>('vault');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  /** The user pressed Cancel while the browser sign-in waited: its USER_CANCELLED is no news to them. */
  const cancelled = useRef(false);
  const ids = { url: 'add-account-url', user: useId() };
  const needsUser = method !== 'browser';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    cancelled.current = false;
    const user = userName.trim();
    const result = await api().accounts.add({
      serverUrl: serverUrl.trim(),
      method,
      ...(needsUser && user ? { userName: user } : {}),
    });
    setBusy(false);
    if (!result.ok) {
      if (!(cancelled.current && result.error.code === 'USER_CANCELLED')) setError(result.error);
      return;
    }
    setUserName('');
    setServerUrl('');
    onAdded(result.value);
  };

  return (
    <form className="add-account" aria-label="Connect an account" onSubmit={(e) => void submit(e)}>
      <h2>Connect an account</h2>
      <div className="add-account-fields">
        <div>
          <label className="label" htmlFor={ids.url}>
            Server address
          </label>
          <input
            id={ids.url}
            className="input"
            type="url"
            required
            placeholder="https://example.com"
            value={serverUrl}
            onChange={(e) => setServerUrl(e.currentTarget.value)}
          />
        </div>
        <div>
          <label className="label" htmlFor={ids.user}>
            User name
          </label>
          <input
            id={ids.user}
            className="input"
            required={needsUser}
            disabled={!needsUser}
            autoComplete="username"
            value={needsUser ? userName : ''}
            placeholder={needsUser ? '' : 'The browser asks for it'}
            onChange={(e) => setUserName(e.currentTarget.value)}
          />
        </div>
      </div>
      <fieldset className="add-account-methods">
        <legend className="label">How to sign in</legend>
        {METHODS.map((m) => (
          <label key={m.id} className="add-account-method">
            <input
              type="radio"
              name="method"
              value={m.id}
              checked={method === m.id}
              onChange={() => setMethod(m.id)}
            />
            <span>
              <span className="add-account-method-label">{m.label}</span>
              <span className="subtle add-account-method-hint">{m.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {error && <ErrorNotice error={error} />}
      <div className="add-account-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Connecting…' : submitLabel(method)}
        </button>
        {busy && method === 'vault' && (
          <span className="subtle" role="status">
            Waiting for the sign-in…
          </span>
        )}
        {busy && method === 'browser' && <BrowserWait onCancel={() => (cancelled.current = true)} />}
      </div>
    </form>
  );
}
