import type { ApplyOutcome, PlanStatus, PlanView } from '../../../shared/contract/accounts';
import { missingCase } from '../../../shared/errors';
import { Badge } from '../../ui/Badge';
import type { BadgeTone } from '../../ui/Badge';
import { actionLabel, guardLabel, outcomeBadge } from './labels';

function statusView(status: PlanStatus): { text: string; tone: BadgeTone } {
  switch (status) {
    case 'done':
      return { text: 'Every step is done.', tone: 'good' };
    case 'partial':
      return {
        text: 'Not every step succeeded. See why below; once the cause is fixed, retry the failed steps.',
        tone: 'warn',
      };
    case 'applying':
      return { text: 'Unfinished: a step could not be checked. Finish it from Activity.', tone: 'bad' };
    case 'abandoned':
      return { text: 'Abandoned: nothing more was run.', tone: 'neutral' };
    case 'ready':
      return { text: 'Not applied.', tone: 'neutral' };
    default:
      return missingCase(status);
  }
}

/** The outcome of every step of an applied (or resumed, or abandoned) plan. */
export function PlanOutcome({ plan, outcome }: { plan: PlanView; outcome: ApplyOutcome }) {
  const status = statusView(outcome.status);
  const effects = new Map(plan.steps.map((s) => [s.actionId, s.effect]));
  return (
    <section className="plan-outcome" aria-label="Outcome">
      <p className={`plan-outcome-status plan-outcome-${status.tone}`} role="status">
        {status.text}
      </p>
      <ol className="plan-steps" aria-label="Outcome of each step">
        {outcome.steps.map((s) => {
          const badge = outcomeBadge(s.outcome);
          return (
            <li key={s.actionId} className="plan-step">
              <p className="plan-step-effect">{effects.get(s.actionId) ?? s.message}</p>
              <p className="plan-step-badges">
                <Badge>{actionLabel(s.kind)}</Badge>
                <Badge tone={badge.tone}>{badge.label}</Badge>
                {s.guard && <Badge tone="warn">Guard: {guardLabel(s.guard)}</Badge>}
                {s.error && <Badge tone="bad">{s.error.code}</Badge>}
              </p>
              {s.outcome !== 'done' && <p className="plan-step-message">{s.message}</p>}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
