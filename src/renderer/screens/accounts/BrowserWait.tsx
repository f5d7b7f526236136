import { useState } from 'react';
import { api } from '../../api';

/**
 * Shown while Passkey Desk waits for a sign-in in the system browser: says so, and lets the user stop waiting
 * (they closed the tab, or changed their mind) instead of sitting on a disabled form for five minutes. The
 * waiting call then fails with USER_CANCELLED, which the caller drops: the user asked for it.
 */
export function BrowserWait({ onCancel }: { onCancel: () => void }) {
  const [cancelling, setCancelling] = useState(false);
  return (
    <span className="browser-wait">
      <span className="subtle" role="status">
        Waiting for the sign-in in your browser…
      </span>
      <button
        type="button"
        className="button"
        disabled={cancelling}
        onClick={() => {
          setCancelling(true);
          onCancel();
          void api().accounts.cancelBrowserSignIn({});
        }}
      >
        Cancel
      </button>
    </span>
  );
}
