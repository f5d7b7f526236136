import { useId } from 'react';
import type { PlanView } from '../../../shared/contract/accounts';
import { Badge } from '../../ui/Badge';
import { guardLabel, overrideLabel } from './labels';
import type { Override } from './usePlan';

interface PlanBlockedProps {
  plan: PlanView;
  overrides: Override[];
  onToggle: (override: Override, on: boolean) => void;
}

/**
 * What the plan will not do, and why: actions a guard stops (each with its own override checkbox, off by
 * default) and selected actions that are skipped. An overridden action becomes a step and keeps its checkbox,
 * checked, so the override can be taken back.
 */
export function PlanBlocked({ plan, overrides, onToggle }: PlanBlockedProps) {
  const headingId = useId();
  const overridden = overrides.filter((o) => plan.steps.some((s) => s.actionId === o.actionId));
  if (plan.blocked.length === 0 && overridden.length === 0 && plan.skipped.length === 0) return null;
  return (
    <>
      {(plan.blocked.length > 0 || overridden.length > 0) && (
        <section className="plan-blocked" aria-labelledby={headingId}>
          <h3 id={headingId}>{plan.blocked.length > 0 ? 'Blocked by a guard' : 'Guards you overrode'}</h3>
          <ul>
            {/* One keyed list, so an action's checkbox (and its focus) survives the move to "overridden". */}
            {[
              ...plan.blocked.map((b) => ({
                override: { actionId: b.actionId, guard: b.guard },
                reason: b.reason,
                checked: false,
              })),
              ...overridden.map((o) => ({
                override: o,
                reason: 'You overrode this guard: the step above runs anyway.',
                checked: true,
              })),
            ].map((item) => (
              <GuardItem key={item.override.actionId} {...item} onToggle={onToggle} />
            ))}
          </ul>
        </section>
      )}
      {plan.skipped.length > 0 && (
        <section className="plan-skipped" aria-label="Skipped">
          <h3>Skipped</h3>
          <ul>
            {plan.skipped.map((s) => (
              <li key={s.actionId}>{s.reason}</li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

interface GuardItemProps {
  override: Override;
  reason: string;
  checked: boolean;
  onToggle: (override: Override, on: boolean) => void;
}

function GuardItem({ override, reason, checked, onToggle }: GuardItemProps) {
  const id = useId();
  return (
    <li className="plan-guard">
      <p>
        <Badge tone="warn">Guard: {guardLabel(override.guard)}</Badge> {reason}
      </p>
      <label className="plan-override" htmlFor={id}>
        <input
          id={id}
          type="checkbox"
          checked={checked}
          onChange={(e) => onToggle(override, e.currentTarget.checked)}
        />
        {overrideLabel(override.guard)}
      </label>
    </li>
  );
}
