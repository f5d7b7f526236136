import { useCallback, useEffect, useState } from 'react';
import type { PlanView } from '../../../shared/contract/accounts';
import type { ErrorInfo } from '../../../shared/errors';
import { api } from '../../api';
import { formatDateTime, plural } from '../../format';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { ResumeDialog } from './ResumeDialog';
import type { ResumeMode } from './ResumeDialog';

/**
 * Plans a crash or a closed app left half-applied (reconcile.pending), each as a banner with Finish and Abandon.
 * No other plan can be applied until it is settled, so every screen that applies plans shows this first.
 */
export function PendingPlans({ onChanged }: { onChanged?: () => void }) {
  const [plans, setPlans] = useState<PlanView[]>([]);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [open, setOpen] = useState<{ plan: PlanView; mode: ResumeMode } | null>(null);

  const load = useCallback(
    () =>
      api()
        .reconcile.pending({})
        .then((result) => {
          if (result.ok) {
            setPlans(result.value);
            setError(null);
          } else setError(result.error);
        }),
    [],
  );

  useEffect(() => {
    void load();
  }, [load]);

  if (error) return <ErrorNotice error={error} onRetry={() => void load()} />;
  return (
    <>
      {plans.map((plan) => (
        <section key={plan.planId} className="notice notice-warn pending-plan" aria-label="Unfinished plan">
          <p className="notice-title">Unfinished plan</p>
          <p>
            A plan of {plural(plan.steps.length, 'step')} made {formatDateTime(plan.createdAt)} was
            interrupted while it was applied. Finish it to run what is left (nothing that already happened
            runs again), or abandon it. No other plan can run until then.
          </p>
          <div className="pending-plan-actions">
            <button
              type="button"
              className="button button-primary"
              onClick={() => setOpen({ plan, mode: 'finish' })}
            >
              Finish…
            </button>
            <button type="button" className="button" onClick={() => setOpen({ plan, mode: 'abandon' })}>
              Abandon…
            </button>
          </div>
        </section>
      ))}
      {open && (
        <ResumeDialog
          plan={open.plan}
          mode={open.mode}
          onClose={(changed) => {
            setOpen(null);
            if (changed) {
              void load();
              onChanged?.();
            }
          }}
        />
      )}
    </>
  );
}
