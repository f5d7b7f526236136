import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { ErrorInfo } from '../../shared/errors';
import { describeError } from '../errors';

export interface ToastInput {
  message: string;
  tone?: 'info' | 'error';
  /** One action, such as Undo. The toast closes when it runs. */
  action?: { label: string; run: () => Promise<void> };
}

interface Toast extends ToastInput {
  id: number;
}

interface ToastApi {
  show: (toast: ToastInput) => void;
  showError: (error: ErrorInfo) => void;
}

const ToastContext = createContext<ToastApi | null>(null);
const LIFETIME_MS = 12_000;

/** Short notices in a polite live region. Undo stays possible in the Trash after a toast is gone. */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const show = useCallback((toast: ToastInput) => {
    const id = nextId.current++;
    setToasts((all) => [...all.slice(-2), { ...toast, id }]);
  }, []);
  const showError = useCallback(
    (error: ErrorInfo) => show({ tone: 'error', message: `${describeError(error).title}: ${error.message}` }),
    [show],
  );
  const value = useMemo(() => ({ show, showError }), [show, showError]);

  return (
    <ToastContext.Provider value={value}>
      {children}
      <div className="toasts" role="status" aria-live="polite" aria-label="Notifications">
        {toasts.map((t) => (
          <ToastItem key={t.id} toast={t} onDismiss={dismiss} />
        ))}
      </div>
    </ToastContext.Provider>
  );
}

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  const [busy, setBusy] = useState(false);
  const [hovered, setHovered] = useState(false);

  useEffect(() => {
    if (hovered || busy) return undefined;
    const timer = window.setTimeout(() => onDismiss(toast.id), LIFETIME_MS);
    return () => window.clearTimeout(timer);
  }, [hovered, busy, onDismiss, toast.id]);

  const run = async () => {
    if (!toast.action) return;
    setBusy(true);
    await toast.action.run();
    onDismiss(toast.id);
  };

  return (
    <div
      className={`toast toast-${toast.tone ?? 'info'}`}
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
      onFocus={() => setHovered(true)}
      onBlur={() => setHovered(false)}
    >
      <span className="toast-message">{toast.message}</span>
      {toast.action && (
        <button type="button" className="button button-small" disabled={busy} onClick={() => void run()}>
          {toast.action.label}
        </button>
      )}
      <button
        type="button"
        className="icon-button"
        aria-label="Dismiss notification"
        onClick={() => onDismiss(toast.id)}
      >
        ×
      </button>
    </div>
  );
}

export function useToasts(): ToastApi {
  const value = useContext(ToastContext);
  if (!value) throw new Error('useToasts outside ToastProvider');
  return value;
}
