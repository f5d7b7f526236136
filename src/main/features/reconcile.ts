/** The handlers behind the `reconcile.*` channels: run, plan, apply (confirmed or dry run), pending, resume, retry, abandon. */
import type { Handlers } from '../../shared/contract';
import type { Reconciler } from '../reconcile/reconciler';

export type ReconcileHandlers = Pick<
  Handlers,
  | 'reconcile.run'
  | 'reconcile.plan'
  | 'reconcile.apply'
  | 'reconcile.pending'
  | 'reconcile.resume'
  | 'reconcile.retry'
  | 'reconcile.abandon'
>;

export function reconcileHandlers(r: Reconciler): ReconcileHandlers {
  return {
    'reconcile.run': async (req) => r.run(req.accountId),
    'reconcile.plan': async (req) =>
      r.plan({
        selection: req.selection,
        ...(req.accountId === undefined ? {} : { accountId: req.accountId }),
        ...(req.overrides === undefined ? {} : { overrides: req.overrides }),
      }),
    'reconcile.apply': async (req) =>
      r.apply(req.planId, {
        ...(req.confirm === undefined ? {} : { confirm: req.confirm }),
        ...(req.dryRun === undefined ? {} : { dryRun: req.dryRun }),
      }),
    'reconcile.pending': async () => r.pending(),
    'reconcile.resume': async (req) =>
      r.resume(req.planId, req.confirm === undefined ? {} : { confirm: req.confirm }),
    'reconcile.retry': async (req) =>
      r.retry(req.planId, req.confirm === undefined ? {} : { confirm: req.confirm }),
    'reconcile.abandon': async (req) => r.abandon(req.planId),
  };
}
