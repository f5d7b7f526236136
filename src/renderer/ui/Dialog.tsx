import { useEffect, useId, useRef } from 'react';
import type { ReactNode } from 'react';

interface DialogProps {
  title: string;
  /** The sentence that says exactly what will happen; read by screen readers as the dialog's description. */
  description?: ReactNode;
  children?: ReactNode;
  onClose: () => void;
}

/**
 * A modal dialog on the native <dialog> element: role="dialog", aria-modal, the rest of the page inert, Escape
 * closes it, focus goes to the element marked `autoFocus` inside and returns where it was when it closes.
 */
export function Dialog({ title, description, children, onClose }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return undefined;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    const auto = dialog.querySelector<HTMLElement>('[data-autofocus]');
    auto?.focus();
    return () => {
      dialog.close();
      if (previous?.isConnected) previous.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      {description && (
        <p id={descriptionId} className="dialog-description">
          {description}
        </p>
      )}
      {children}
    </dialog>
  );
}
