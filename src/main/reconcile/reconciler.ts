/**
 * Reconciliation with side effects, as one service: run (fresh inputs → the pure engine → rows per account),
 * plan (a selection → the engine's plan, kept on disk), apply / resume / abandon (see applier.ts) and pending
 * (plans a crash left unfinished, which every shell shows on start).
 */
import type { ProgressEvent } from '../../shared/contract';
import type { ApplyOutcome, PlanView, ReconcileReport } from '../../shared/contract/accounts';
import { PasskeyDeskError } from '../../shared/errors';
import type { Guard, PlanSelection } from '../../shared/reconcile';
import { buildPlan, reconcile } from '../../shared/reconcile';
import type { Journal } from '../journal';
import type { ApplyMode } from './applier';
import { APPLY_LOCK, abandonPlan, applyPlan, isBusyHere } from './applier';
import type { GatherDeps } from './gather';
import { gather } from './gather';
import { PlanFiles, processAlive, toPlanView } from './plan-files';
import { lockHeld } from '../fs/lock';
import { buildReport } from './report';
import type { NamedSelection } from './selection';
import { toSelection } from './selection';
import type { StepDeps } from './steps';

export interface ReconcilerDeps extends GatherDeps, StepDeps {
  dataDir: string;
  journal: Journal;
  onProgress?: (e: ProgressEvent) => void;
}

export interface PlanRequest {
  accountId?: string;
  selection: NamedSelection | PlanSelection;
  overrides?: { actionId: string; guard: Guard }[];
}

export class Reconciler {
  readonly plans: PlanFiles;
  private readonly listeners = new Set<(e: ProgressEvent) => void>();

  constructor(private readonly d: ReconcilerDeps) {
    this.plans = new PlanFiles(d.dataDir);
    if (d.onProgress) this.listeners.add(d.onProgress);
  }

  /** Progress of plans being applied; returns an unsubscribe. */
  onProgress(listener: (e: ProgressEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async run(accountId?: string): Promise<ReconcileReport> {
    const g = await gather(this.d, accountId);
    return buildReport(reconcile(g.inputs), g.states, g.inventory.readAt, accountId !== undefined);
  }

  async plan(req: PlanRequest): Promise<PlanView> {
    const g = await gather(this.d, req.accountId);
    const unreadable = g.states.find((s) => !s.ok);
    if (unreadable && req.accountId !== undefined) {
      throw new PasskeyDeskError(
        unreadable.error?.code ?? 'SERVER_UNREACHABLE',
        `Cannot plan for ${unreadable.record.userName} at ${unreadable.record.serverUrl}: ${unreadable.error?.message ?? 'the server could not be read'}`,
        // The code stays the cause's own (NOT_SIGNED_IN: the app offers to sign in); this says it is about reading.
        { notRead: unreadable.record.id },
      );
    }
    const result = reconcile(g.inputs);
    const rows =
      req.accountId === undefined ? result.rows : result.rows.filter((r) => r.accountId === req.accountId);
    const plan = buildPlan(
      { rows, accepted: result.accepted },
      toSelection(rows, req.selection, req.overrides),
    );
    const createdAt = this.d.now();
    const stored = {
      format: 'passkey-desk-plan' as const,
      version: 1 as const,
      planId: `${plan.id}-${createdAt.getTime().toString(36)}`,
      accountId: req.accountId ?? null,
      createdAt: createdAt.toISOString(),
      status: 'ready' as const,
      applyingPid: null,
      finishedAt: null,
      plan,
    };
    await this.plans.save(stored);
    await this.plans.discardStale(createdAt);
    const notRead = g.states
      .filter((s) => !s.ok)
      .map((s) => ({
        accountId: s.record.id,
        userName: s.record.userName,
        serverUrl: s.record.serverUrl,
        error: s.error,
      }));
    return { ...toPlanView(stored), notRead };
  }

  /** Applies a plan the user confirmed, or (dryRun) checks each step against fresh state without changing anything. */
  async apply(planId: string, options: { confirm?: boolean; dryRun?: boolean }): Promise<ApplyOutcome> {
    if (options.dryRun) return this.exec(planId, 'dry-run');
    if (options.confirm !== true) {
      throw new PasskeyDeskError(
        'CONFIRMATION_REQUIRED',
        `Applying plan ${planId} changes stores and servers; some steps cannot be undone. Confirm it (confirm: true; on the command line --yes).`,
      );
    }
    await this.assertNoOtherUnfinished(planId);
    return this.exec(planId, 'apply');
  }

  async resume(planId: string, options: { confirm?: boolean }): Promise<ApplyOutcome> {
    if (options.confirm !== true)
      throw new PasskeyDeskError(
        'CONFIRMATION_REQUIRED',
        `Resuming plan ${planId} runs its remaining steps. Confirm it (confirm: true; on the command line --yes).`,
      );
    return this.exec(planId, 'resume');
  }

  /** Runs again the steps of a partly applied plan that failed or were skipped (each checked first). */
  async retry(planId: string, options: { confirm?: boolean }): Promise<ApplyOutcome> {
    if (options.confirm !== true)
      throw new PasskeyDeskError(
        'CONFIRMATION_REQUIRED',
        `Retrying plan ${planId} runs its failed steps again. Confirm it (confirm: true; on the command line --yes).`,
      );
    await this.assertNoOtherUnfinished(planId);
    return this.exec(planId, 'retry');
  }

  async abandon(planId: string): Promise<ApplyOutcome> {
    return abandonPlan(this.deps(), planId);
  }

  /**
   * Plans left `applying` by an interruption. A plan is running, not interrupted, while this process works on it,
   * or while the process that marked it is alive and holds the apply lock (its heartbeat is fresh): a process
   * that died, or a pid reused after a reboot, holds no lock.
   */
  async pending(): Promise<PlanView[]> {
    const applying = (await this.plans.list()).filter((p) => p.status === 'applying');
    if (applying.length === 0) return [];
    const held = await lockHeld(this.plans.dir, APPLY_LOCK);
    return applying
      .filter(
        (p) =>
          !isBusyHere(p.planId) &&
          !(held && p.applyingPid !== null && p.applyingPid !== process.pid && processAlive(p.applyingPid)),
      )
      .map(toPlanView);
  }

  /** The most recently finished plan whose steps did not all succeed (what `prune --retry` retries), if any. */
  async latestPartial(): Promise<PlanView | null> {
    const partial = (await this.plans.list())
      .filter((p) => p.status === 'partial')
      .sort((a, b) => (b.finishedAt ?? '').localeCompare(a.finishedAt ?? ''));
    return partial[0] ? toPlanView(partial[0]) : null;
  }

  /** Sends a progress event to every listener (the shell's, and a CLI command's). */
  emit(e: ProgressEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** No plan runs while another one is left unfinished by an interruption: it must be resumed or abandoned. */
  private async assertNoOtherUnfinished(planId: string): Promise<void> {
    const other = (await this.pending()).find((p) => p.planId !== planId);
    if (other) {
      throw new PasskeyDeskError(
        'JOURNAL_PENDING',
        `Plan ${other.planId} was interrupted while it was applied. Resume or abandon it first (passkey-desk prune --resume | --abandon).`,
        { planId: other.planId },
      );
    }
  }

  private exec(planId: string, mode: ApplyMode): Promise<ApplyOutcome> {
    return applyPlan(this.deps(), planId, mode, (e) => this.emit(e));
  }

  private deps() {
    return { ...this.d, plans: this.plans };
  }
}
