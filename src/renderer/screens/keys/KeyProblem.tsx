import type { ErrorInfo } from '../../../shared/errors';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { keyProblemAdvice } from './pin-problems';

/** A security-key error: the general notice by code, then what it means for this key (tries left, reset, admin). */
export function KeyProblem({ error, onRetry }: { error: ErrorInfo; onRetry?: () => void }) {
  const advice = keyProblemAdvice(error);
  return (
    <div className="key-problem">
      {onRetry ? <ErrorNotice error={error} onRetry={onRetry} /> : <ErrorNotice error={error} />}
      {advice && (
        <p className="key-problem-advice" data-testid="key-problem-advice">
          {advice}
        </p>
      )}
    </div>
  );
}
