import { plural } from '../../format';
import { Dialog } from '../../ui/Dialog';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { PlanBlocked } from './PlanBlocked';
import { PlanOutcome } from './PlanOutcome';
import { PlanSteps } from './PlanSteps';
import { usePlan } from './usePlan';
import type { PlanRequest } from './usePlan';

/**
 * The confirmation of a plan: every step's exact effect, what is blocked and why (with a per-action override),
 * a dry run, then progress while it applies and the outcome of each step. `onClose(changed)` says whether
 * anything ran, so the caller reads both sides again.
 */
export function PlanDialog({
  request,
  onClose,
}: {
  request: PlanRequest;
  onClose: (changed: boolean) => void;
}) {
  const { state, overrides, error, toggleOverride, preview, apply, retry } = usePlan(request);
  const close = () => {
    if (state.phase !== 'applying') onClose(state.phase === 'finished');
  };

  return (
    <Dialog title={request.title} description={describe(state)} onClose={close}>
      <div className="plan-dialog">
        {error && <ErrorNotice error={error} />}
        {state.phase === 'building' && !error && (
          <p className="loading" role="status">
            Building the plan from a fresh look at this machine and the server…
          </p>
        )}
        {state.phase === 'review' && (
          <>
            <PlanSteps plan={state.plan} results={state.preview} />
            <PlanBlocked plan={state.plan} overrides={overrides} onToggle={toggleOverride} />
            {state.updating && (
              <p className="plan-preview-note" role="status">
                Building the plan again with your choice…
              </p>
            )}
            {state.preview && (
              <p className="plan-preview-note" role="status">
                Dry run: nothing was changed. Each step shows what applying it now would do.
              </p>
            )}
          </>
        )}
        {state.phase === 'applying' && (
          <>
            <PlanSteps plan={state.plan} results={null} />
            <div className="plan-progress" role="status" aria-live="polite">
              <progress
                aria-label="Applying the plan"
                max={Math.max(state.progress?.total ?? state.plan.steps.length, 1)}
                value={state.progress?.done ?? 0}
              />
              <p>
                {state.progress
                  ? `Step ${state.progress.done} of ${state.progress.total}: ${state.progress.message}`
                  : 'Applying the plan…'}
              </p>
            </div>
          </>
        )}
        {state.phase === 'finished' && <PlanOutcome plan={state.plan} outcome={state.outcome} />}
        <div className="dialog-actions">
          {state.phase === 'finished' ? (
            <>
              {state.outcome.status === 'partial' && (
                <button type="button" className="button" onClick={() => void retry()}>
                  Retry failed steps
                </button>
              )}
              <button type="button" className="button button-primary" data-autofocus onClick={close}>
                Close
              </button>
            </>
          ) : (
            <>
              <button
                type="button"
                className="button"
                data-autofocus
                disabled={state.phase === 'applying'}
                onClick={close}
              >
                Cancel
              </button>
              <button
                type="button"
                className="button"
                disabled={
                  state.phase !== 'review' ||
                  state.plan.steps.length === 0 ||
                  state.previewing ||
                  state.updating
                }
                onClick={() => void preview()}
              >
                {state.phase === 'review' && state.previewing ? 'Checking…' : 'Preview (dry run)'}
              </button>
              <button
                type="button"
                className="button button-primary"
                disabled={state.phase !== 'review' || state.plan.steps.length === 0 || state.updating}
                onClick={() => void apply()}
              >
                {state.phase === 'applying'
                  ? 'Applying…'
                  : state.phase === 'review' && state.plan.steps.length > 0
                    ? `Apply ${plural(state.plan.steps.length, 'step')}`
                    : 'Apply'}
              </button>
            </>
          )}
        </div>
      </div>
    </Dialog>
  );
}

function describe(state: ReturnType<typeof usePlan>['state']): string {
  switch (state.phase) {
    case 'building':
      return 'Building the plan…';
    case 'review': {
      const { steps, blocked } = state.plan;
      const held =
        blocked.length > 0
          ? ` ${plural(blocked.length, 'action is', 'actions are')} blocked by a guard.`
          : '';
      if (steps.length === 0) return `Nothing will run.${held}`;
      return `Passkey Desk will run ${plural(steps.length, 'step')}, in this order, and nothing else.${held}`;
    }
    case 'applying':
      return 'Applying the plan. Each step is written to the journal before it runs.';
    case 'finished':
      return 'The plan has run. The outcome of each step is below and in Activity.';
  }
}
