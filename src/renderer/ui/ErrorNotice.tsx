import type { ErrorInfo } from '../../shared/errors';
import { describeError } from '../errors';

/** An error from main, shown by its code: a heading, the message as main wrote it, and the next step. */
export function ErrorNotice({ error, onRetry }: { error: ErrorInfo; onRetry?: () => void }) {
  const view = describeError(error);
  return (
    <div className="notice notice-error" role="alert" data-error-code={error.code}>
      <p className="notice-title">{view.title}</p>
      <p className="notice-message">{error.message}</p>
      {view.advice && <p className="notice-advice">{view.advice}</p>}
      <p className="notice-code">Error code {error.code}</p>
      {onRetry && (
        <button type="button" className="button button-small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
