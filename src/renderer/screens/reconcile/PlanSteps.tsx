import type { ApplyOutcome, PlanView, StepResult } from '../../../shared/contract/accounts';
import type { PlanStep } from '../../../shared/reconcile';
import { Badge } from '../../ui/Badge';
import { actionLabel, guardLabel, outcomeBadge } from './labels';

/** The exact effect of every step, in the order they run, with what a dry run or the apply said about each. */
export function PlanSteps({ plan, results }: { plan: PlanView; results: ApplyOutcome | null }) {
  if (plan.steps.length === 0)
    return <p className="plan-empty">Nothing to run: no step is left in this plan.</p>;
  const byAction = new Map(results?.steps.map((s) => [s.actionId, s]));
  return (
    <ol className="plan-steps" aria-label="Steps">
      {plan.steps.map((step) => (
        <PlanStepItem key={step.actionId} step={step} result={byAction.get(step.actionId) ?? null} />
      ))}
    </ol>
  );
}

function PlanStepItem({ step, result }: { step: PlanStep; result: StepResult | null }) {
  const outcome = result ? outcomeBadge(result.outcome) : null;
  return (
    <li className="plan-step">
      <p className="plan-step-effect">{step.effect}</p>
      <p className="plan-step-badges">
        <Badge>{actionLabel(step.kind)}</Badge>
        {step.undoable ? (
          <Badge tone="good">Can be undone</Badge>
        ) : (
          <Badge tone="warn">Cannot be undone</Badge>
        )}
        {step.overridden && <Badge tone="bad">Guard overridden: {guardLabel(step.overridden)}</Badge>}
        {step.dependsOn.length > 0 && <Badge>Runs after the revoke it waits for</Badge>}
        {outcome && <Badge tone={outcome.tone}>{outcome.label}</Badge>}
      </p>
      {result && result.outcome !== 'done' && result.outcome !== 'would-run' && (
        <p className="plan-step-message">{result.message}</p>
      )}
    </li>
  );
}
