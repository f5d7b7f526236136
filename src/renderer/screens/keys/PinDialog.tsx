import { useId, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import type { Result } from '../../../shared/result';
import { Dialog } from '../../ui/Dialog';
import { KeyProblem } from './KeyProblem';

interface PinDialogProps<T> {
  title: string;
  /** The exact effect, ending with what the PIN is for. */
  description: string;
  keyLabel: string;
  confirmLabel: string;
  danger?: boolean;
  /** Fields shown above the PIN (rename's names). */
  children?: ReactNode;
  canSubmit?: boolean;
  /** Runs the one call that needs the PIN. */
  run: (pin: string) => Promise<Result<T>>;
  onDone: (value: T) => void;
  onCancel: () => void;
}

/**
 * Asks for a security key's PIN for exactly one call. The PIN is never React state: it is read from the field when
 * the form is sent, the field is emptied at once, and the value lives only in this call's closure until the call
 * returns. It is never logged, never put in a URL or a notification. A wrong PIN shows the tries left.
 */
export function PinDialog<T>(props: PinDialogProps<T>) {
  const { title, description, keyLabel, confirmLabel, danger = false, children, canSubmit = true } = props;
  const field = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const pinId = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const input = field.current;
    if (!input) return;
    const pin = input.value;
    input.value = '';
    setBusy(true);
    setError(null);
    const result = await props.run(pin);
    setBusy(false);
    if (result.ok) props.onDone(result.value);
    else {
      setError(result.error);
      input.focus();
    }
  };

  return (
    <Dialog title={title} description={description} onClose={props.onCancel}>
      <form className="dialog-form" onSubmit={(e) => void submit(e)}>
        {children}
        <label className="label" htmlFor={pinId}>
          PIN of {keyLabel}
        </label>
        <input
          ref={field}
          id={pinId}
          className="input"
          type="password"
          autoComplete="off"
          required
          minLength={4}
          maxLength={63}
          data-autofocus
        />
        {error && <KeyProblem error={error} />}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button
            type="submit"
            className={danger ? 'button button-danger' : 'button button-primary'}
            disabled={busy || !canSubmit}
          >
            {busy ? 'Working… touch the key if it blinks' : confirmLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
