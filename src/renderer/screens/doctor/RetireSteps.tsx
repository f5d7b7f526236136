import type { ApplyOutcome, PlanStatus, PlanView } from '../../../shared/contract/accounts';
import type { OldPasskey } from '../../../shared/contract/doctor';
import { missingCase } from '../../../shared/errors';
import { shortId } from '../../../shared/model';
import { Badge } from '../../ui/Badge';
import { actionLabel, outcomeBadge } from '../reconcile/labels';
import { passkeyName } from './labels';

function statusText(status: PlanStatus): string {
  switch (status) {
    case 'done':
      return 'Every step is done.';
    case 'partial':
      return 'Not every step succeeded. See why below.';
    case 'applying':
      return 'Unfinished: a step could not be checked. Finish it from Activity.';
    case 'abandoned':
      return 'Abandoned: nothing more was run.';
    case 'ready':
      return 'Not applied.';
    default:
      return missingCase(status);
  }
}

/**
 * The revoke plan's steps, each naming the passkey it touches (the engine's effect text is the same for every
 * revoke of one account), and after applying, each step's outcome.
 */
export function RetireSteps({
  plan,
  candidates,
  outcome,
}: {
  plan: PlanView;
  candidates: readonly OldPasskey[];
  outcome: ApplyOutcome | null;
}) {
  const results = new Map(outcome?.steps.map((s) => [s.actionId, s]));
  const byId = new Map(candidates.map((c) => [c.credentialId, c]));
  return (
    <>
      {outcome && (
        <p className="plan-outcome-status" role="status">
          {statusText(outcome.status)}
        </p>
      )}
      <ol className="plan-steps" aria-label={outcome ? 'Outcome of each step' : 'Steps'}>
        {plan.steps.map((step) => {
          const who = byId.get(step.target.credentialId);
          const result = results.get(step.actionId);
          const badge = result ? outcomeBadge(result.outcome) : null;
          return (
            <li key={step.actionId} className="plan-step">
              <p className="doctor-retire-target">
                {who ? passkeyName(who) : 'Passkey'}{' '}
                <span className="mono">{who?.shortId ?? shortId(step.target.credentialId)}</span>
              </p>
              <p className="plan-step-effect">{step.effect}</p>
              <p className="plan-step-badges">
                <Badge>{actionLabel(step.kind)}</Badge>
                {step.undoable ? (
                  <Badge tone="good">Can be undone</Badge>
                ) : (
                  <Badge tone="warn">Cannot be undone</Badge>
                )}
                {badge && <Badge tone={badge.tone}>{badge.label}</Badge>}
              </p>
              {result && result.outcome !== 'done' && <p className="plan-step-message">{result.message}</p>}
            </li>
          );
        })}
      </ol>
    </>
  );
}
