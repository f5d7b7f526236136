import { useState } from 'react';
import type { ApplyOutcome, PlanView } from '../../../shared/contract/accounts';
import type { ErrorInfo } from '../../../shared/errors';
import { missingCase } from '../../../shared/errors';
import { api } from '../../api';
import { Dialog } from '../../ui/Dialog';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { PlanOutcome } from '../reconcile/PlanOutcome';
import { PlanSteps } from '../reconcile/PlanSteps';

export type ResumeMode = 'finish' | 'abandon';

function words(mode: ResumeMode): { title: string; effect: string; confirm: string } {
  switch (mode) {
    case 'finish':
      return {
        title: 'Finish the unfinished plan?',
        effect:
          'Runs the steps below that have not run yet. A step that began before the interruption is checked first: if it already took effect it is closed as done, never run twice.',
        confirm: 'Finish the plan',
      };
    case 'abandon':
      return {
        title: 'Abandon the unfinished plan?',
        effect:
          'Runs nothing more. Steps that began before the interruption are closed by what really happened on this machine and the server.',
        confirm: 'Abandon the plan',
      };
    default:
      return missingCase(mode);
  }
}

/** Confirms finishing (reconcile.resume) or abandoning an interrupted plan, then shows each step's outcome. */
export function ResumeDialog({
  plan,
  mode,
  onClose,
}: {
  plan: PlanView;
  mode: ResumeMode;
  onClose: (changed: boolean) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [outcome, setOutcome] = useState<ApplyOutcome | null>(null);
  const w = words(mode);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    const result =
      mode === 'finish'
        ? await api().reconcile.resume({ planId: plan.planId, confirm: true })
        : await api().reconcile.abandon({ planId: plan.planId });
    setBusy(false);
    if (result.ok) setOutcome(result.value);
    else setError(result.error);
  };

  return (
    <Dialog
      title={w.title}
      description={outcome ? 'Settled. The outcome of each step is below and in Activity.' : w.effect}
      onClose={() => !busy && onClose(outcome !== null)}
    >
      <div className="plan-dialog">
        {error && <ErrorNotice error={error} />}
        {outcome ? <PlanOutcome plan={plan} outcome={outcome} /> : <PlanSteps plan={plan} results={null} />}
        <div className="dialog-actions">
          {outcome ? (
            <button
              type="button"
              className="button button-primary"
              data-autofocus
              onClick={() => onClose(true)}
            >
              Close
            </button>
          ) : (
            <>
              <button
                type="button"
                className="button"
                data-autofocus
                disabled={busy}
                onClick={() => onClose(false)}
              >
                Cancel
              </button>
              <button
                type="button"
                className={mode === 'abandon' ? 'button button-danger' : 'button button-primary'}
                disabled={busy}
                onClick={() => void confirm()}
              >
                {busy ? 'Working…' : w.confirm}
              </button>
            </>
          )}
        </div>
      </div>
    </Dialog>
  );
}
