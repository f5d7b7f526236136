import { useState } from 'react';
import type { ErrorInfo } from '../../shared/errors';
import type { Result } from '../../shared/result';
import { Dialog } from './Dialog';
import { ErrorNotice } from './ErrorNotice';

interface ConfirmDialogProps<T> {
  title: string;
  /** The exact effect, in one or two sentences. */
  effect: string;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => Promise<Result<T>>;
  onDone: (value: T) => void;
  onCancel: () => void;
}

/** Asks before a change, runs it, and stays open with the error when it fails. Cancel has the focus first. */
export function ConfirmDialog<T>({
  title,
  effect,
  confirmLabel,
  danger = false,
  onConfirm,
  onDone,
  onCancel,
}: ConfirmDialogProps<T>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    const result = await onConfirm();
    setBusy(false);
    if (result.ok) onDone(result.value);
    else setError(result.error);
  };

  return (
    <Dialog title={title} description={effect} onClose={onCancel}>
      {error && <ErrorNotice error={error} />}
      <div className="dialog-actions">
        <button type="button" className="button" data-autofocus onClick={onCancel}>
          Cancel
        </button>
        <button
          type="button"
          className={danger ? 'button button-danger' : 'button button-primary'}
          disabled={busy}
          onClick={() => void confirm()}
        >
          {busy ? 'Working…' : confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
