import { useCallback, useEffect, useRef, useState } from 'react';
import type { ProgressEvent } from '../../../shared/contract';
import type { ApplyOutcome, PlanView } from '../../../shared/contract/accounts';
import type { ErrorInfo } from '../../../shared/errors';
import type { Guard } from '../../../shared/reconcile';
import type { Result } from '../../../shared/result';
import { api } from '../../api';

/** What the user asked to fix: every safe action of an account, or exact actions (one row's Fix). */
export interface PlanRequest {
  accountId: string | null;
  selection: 'all-safe' | { actionIds: string[] };
  /** The dialog's title. */
  title: string;
}

export interface Override {
  actionId: string;
  guard: Guard;
}

export type PlanPhase =
  | { phase: 'building' }
  | { phase: 'review'; plan: PlanView; preview: ApplyOutcome | null; previewing: boolean; updating: boolean }
  | { phase: 'applying'; plan: PlanView; progress: ProgressEvent | null }
  | { phase: 'finished'; plan: PlanView; outcome: ApplyOutcome };

/**
 * Plan → (dry run) → confirm → apply, for one confirmation dialog. The plan is built again whenever the user
 * overrides a guard (or takes the override back), so what the dialog lists is always exactly what would run.
 */
export function usePlan(request: PlanRequest) {
  const [state, setState] = useState<PlanPhase>({ phase: 'building' });
  const [overrides, setOverrides] = useState<Override[]>([]);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const generation = useRef(0);
  // The selection is fixed for the dialog's life (a new request opens a new dialog).
  const [{ accountId, selection }] = useState(request);

  /** Asks for the plan; only the answer to the newest request is shown. */
  const fetchPlan = useCallback(
    (chosen: Override[]) => {
      const mine = ++generation.current;
      const scope = accountId === null ? {} : { accountId };
      return api()
        .reconcile.plan(
          selection === 'all-safe'
            ? { ...scope, selection: 'all-safe', overrides: chosen }
            : { ...scope, selection: { actionIds: selection.actionIds, overrides: chosen } },
        )
        .then((result) => {
          if (mine !== generation.current) return;
          if (result.ok)
            setState({
              phase: 'review',
              plan: result.value,
              preview: null,
              previewing: false,
              updating: false,
            });
          else {
            setError(result.error);
            setState((s) => (s.phase === 'review' ? { ...s, updating: false } : s));
          }
        });
    },
    [accountId, selection],
  );

  const build = (chosen: Override[]) => {
    // Keep the plan on screen (and the focus on the checkbox) while the new one is built.
    setState((s) => (s.phase === 'review' ? { ...s, preview: null, updating: true } : { phase: 'building' }));
    setError(null);
    return fetchPlan(chosen);
  };

  useEffect(() => {
    void fetchPlan([]);
  }, [fetchPlan]);

  const toggleOverride = (override: Override, on: boolean) => {
    const next = overrides.filter((o) => o.actionId !== override.actionId);
    if (on) next.push(override);
    setOverrides(next);
    void build(next);
  };

  const preview = async () => {
    if (state.phase !== 'review') return;
    setState({ ...state, previewing: true });
    setError(null);
    const result = await api().reconcile.apply({ planId: state.plan.planId, dryRun: true });
    setState({ ...state, preview: result.ok ? result.value : null, previewing: false });
    if (!result.ok) setError(result.error);
  };

  /** Runs `call` with the dialog in its applying phase (progress from `operation`), then shows the outcome. */
  const run = async (
    plan: PlanView,
    operation: string,
    call: () => Promise<Result<ApplyOutcome>>,
    onError: () => PlanPhase,
  ) => {
    setError(null);
    setState({ phase: 'applying', plan, progress: null });
    const stop = api().onProgress((event) => {
      if (event.operation === operation) setState({ phase: 'applying', plan, progress: event });
    });
    const result = await call();
    stop();
    if (result.ok) {
      setState({ phase: 'finished', plan, outcome: result.value });
    } else {
      setState(onError());
      setError(result.error);
    }
  };

  const apply = async () => {
    if (state.phase !== 'review') return;
    const plan = state.plan;
    await run(
      plan,
      'reconcile.apply',
      () => api().reconcile.apply({ planId: plan.planId, confirm: true }),
      () => ({ phase: 'review', plan, preview: null, previewing: false, updating: false }),
    );
  };

  /** Runs again the steps of a partly applied plan that failed or were skipped (each is checked first). */
  const retry = async () => {
    if (state.phase !== 'finished' || state.outcome.status !== 'partial') return;
    const { plan, outcome } = state;
    await run(
      plan,
      'reconcile.retry',
      () => api().reconcile.retry({ planId: plan.planId, confirm: true }),
      () => ({ phase: 'finished', plan, outcome }),
    );
  };

  return {
    state,
    overrides,
    error,
    toggleOverride,
    preview,
    apply,
    retry,
    rebuild: () => void build(overrides),
  };
}
