/**
 * Plan → confirm → apply, the part with side effects. Each step: skip it when a step it depends on did not
 * succeed; skip it when its effect is already there; stop it when a guard holds on fresh state (unless the user
 * overrode that guard for that action); otherwise journal it (fsynced) and only then run it.
 *
 * Resuming after a crash: a step whose journal entry is `done` is never run again; a step with a begin line but
 * no end is checked against the real state — if its effect happened, its entry is closed as done without running
 * it; if not, it runs under that same entry. So each step's effect happens at most once, and each step has at
 * most one journal entry per plan.
 */
import type { ProgressEvent } from '../../shared/contract';
import type { ApplyOutcome, StepResult } from '../../shared/contract/accounts';
import type { JournalEntry } from '../../shared/journal';
import type { ErrorInfo } from '../../shared/errors';
import { isErrorCode, PasskeyDeskError, toErrorInfo } from '../../shared/errors';
import type { PlanStep } from '../../shared/reconcile';
import type { Journal } from '../journal';
import type { PlanFiles, StoredPlan } from './plan-files';
import { withLock } from '../fs/lock';
import type { StepDeps } from './steps';
import { premiseReads, stepRunner } from './steps';

export interface ApplierDeps extends StepDeps {
  journal: Journal;
  plans: PlanFiles;
  now: () => Date;
}

/**
 * `apply` a ready plan; `resume` one an interruption left `applying`; `retry` the failed and skipped steps of a
 * `partial` one (each is checked again first: a step whose effect has happened since is closed, not run twice);
 * `dry-run` only checks.
 */
export type ApplyMode = 'apply' | 'resume' | 'retry' | 'dry-run';

/** The journal entry of a step of a plan: every step journals its action id in the snapshot. */
export function entriesByAction(entries: readonly JournalEntry[], planId: string): Map<string, JournalEntry> {
  const map = new Map<string, JournalEntry>();
  // entries() is newest first; keep the newest (a retried step has a failed entry and then its retry's).
  for (const e of entries) {
    const actionId = e.planId === planId ? e.snapshot?.actionId : undefined;
    if (typeof actionId === 'string' && !map.has(actionId)) map.set(actionId, e);
  }
  return map;
}

function result(
  step: PlanStep,
  outcome: StepResult['outcome'],
  message: string,
  journalId: string | null = null,
  extra: Partial<StepResult> = {},
): StepResult {
  return {
    actionId: step.actionId,
    kind: step.kind,
    outcome,
    message,
    journalId,
    guard: null,
    error: null,
    ...extra,
  };
}

function journalError(entry: JournalEntry): ErrorInfo | null {
  if (!entry.error) return null;
  return {
    code: isErrorCode(entry.error.code) ? entry.error.code : 'INTERNAL',
    message: entry.error.message,
  };
}

const SUCCEEDED = new Set<StepResult['outcome']>(['done', 'already-done', 'would-run']);

/**
 * Plans this process is applying, resuming, retrying or abandoning right now. Another of these from this process
 * (the app's Finish or Abandon while its apply still runs, or a second plan) is refused at once.
 */
const busyHere = new Set<string>();

/** Whether this process is working on the plan right now (it is not interrupted, whatever its file says). */
export function isBusyHere(planId: string): boolean {
  return busyHere.has(planId);
}

/** The lock held, with a heartbeat, by whichever process is applying (or abandoning) a plan: one at a time. */
export const APPLY_LOCK = 'apply';

/**
 * Runs `fn` as the only plan being applied: in this process (`busyHere`) and across processes (the `apply` lock,
 * held for the whole run; a process that dies stops its heartbeat and the lock is free 10 s later, which a new
 * apply waits for). Two applies at once could each pass the last-passkey guard on the same fresh state and
 * together revoke every passkey an account accepts, or both run one step.
 */
async function exclusively<T>(
  d: ApplierDeps,
  planId: string,
  fn: (lost: () => Error | null) => Promise<T>,
): Promise<T> {
  if (busyHere.has(planId))
    throw new PasskeyDeskError(
      'CONFLICT',
      `Plan ${planId} is being applied right now. Wait for it to finish; its progress is shown as it goes.`,
    );
  if (busyHere.size > 0) throw anotherApplying();
  busyHere.add(planId);
  try {
    return await withLock(d.plans.dir, APPLY_LOCK, fn).catch((e: unknown) => {
      // Only the apply lock being held says another plan runs: a lock inside the apply (the vault's) says its own.
      const ours = e instanceof PasskeyDeskError && e.details?.lock === `${d.plans.dir}/${APPLY_LOCK}`;
      if (ours && e.details?.lost === true)
        throw new PasskeyDeskError(
          'LOCKED_BY_OTHER_PROCESS',
          `Passkey Desk lost its hold on the apply lock while it applied plan ${planId} (${String(e.details?.cause)}): another process may be applying it now, so it ran no further step. See what ran (passkey-desk journal), then finish the plan: passkey-desk prune --resume --yes`,
          { planId, lost: true },
        );
      throw ours ? anotherApplying() : e;
    });
  } finally {
    busyHere.delete(planId);
  }
}

const anotherApplying = (): PasskeyDeskError =>
  new PasskeyDeskError(
    'LOCKED_BY_OTHER_PROCESS',
    'Another plan is being applied right now (by this app or another Passkey Desk process, such as the command line). Wait for it to finish, then try again: its guards are then checked against what that plan changed.',
  );

/** Loads the plan, checks it, and marks it as this process's (`applyingPid`: which process ran it last). */
async function claim(
  d: ApplierDeps,
  planId: string,
  check: (stored: StoredPlan) => void,
  mark: (stored: StoredPlan) => StoredPlan | null,
): Promise<StoredPlan> {
  const stored = await d.plans.load(planId);
  check(stored);
  const marked = mark(stored);
  if (marked !== null) await d.plans.save(marked);
  return stored;
}

export async function applyPlan(
  d: ApplierDeps,
  planId: string,
  mode: ApplyMode,
  onProgress?: (e: ProgressEvent) => void,
): Promise<ApplyOutcome> {
  // A dry run changes nothing: it needs no claim and may run beside anything.
  if (mode === 'dry-run') return applyClaimed(d, planId, mode, () => null, onProgress);
  return exclusively(d, planId, (lost) => applyClaimed(d, planId, mode, lost, onProgress));
}

function checkMode(stored: StoredPlan, planId: string, mode: ApplyMode): void {
  if (mode === 'retry' && stored.status !== 'partial') {
    throw new PasskeyDeskError(
      'CONFLICT',
      stored.status === 'applying'
        ? `Plan ${planId} was interrupted while it was applied: resume it (passkey-desk prune --resume) rather than retry.`
        : `Plan ${planId} is ${stored.status}; only a plan whose steps did not all succeed can be retried.`,
    );
  }
  if (stored.status === 'done' || stored.status === 'abandoned' || stored.status === 'partial') {
    if (mode !== 'dry-run' && mode !== 'retry')
      throw new PasskeyDeskError(
        'CONFLICT',
        `Plan ${planId} was already ${stored.status === 'abandoned' ? 'abandoned' : 'applied'}; reconcile again and build a new plan.`,
      );
  }
  if (mode === 'apply' && stored.status === 'applying') {
    throw new PasskeyDeskError(
      'JOURNAL_PENDING',
      `Plan ${planId} was interrupted while it was applied. Resume it (passkey-desk prune --resume) or abandon it (passkey-desk prune --abandon).`,
    );
  }
  if (mode === 'resume' && stored.status !== 'applying') {
    throw new PasskeyDeskError(
      'CONFLICT',
      `Plan ${planId} is ${stored.status}, not interrupted; there is nothing to resume.`,
    );
  }
}

async function applyClaimed(
  d: ApplierDeps,
  planId: string,
  mode: ApplyMode,
  lost: () => Error | null,
  onProgress?: (e: ProgressEvent) => void,
): Promise<ApplyOutcome> {
  const dryRun = mode === 'dry-run';
  const stored = await claim(
    d,
    planId,
    (s) => checkMode(s, planId, mode),
    (s) => (dryRun ? null : { ...s, status: 'applying', applyingPid: process.pid }),
  );

  const journaled = entriesByAction(await d.journal.entries(), planId);
  const outcomes = new Map<string, StepResult>();
  // Steps skipped because their reason is gone: nothing is left to do for them, so they do not keep the plan
  // partial (retry would only skip them again).
  const settled = new Set<string>();
  const run: ApplierDeps = { ...d, premiseReads: premiseReads(d) };
  const total = stored.plan.steps.length;
  let index = 0;
  for (const step of stored.plan.steps) {
    // Another process took the apply lock over (it judged this one gone): it may be running this plan's steps.
    // Stop before the next step and leave the plan file to it; withLock then reports the loss, and the
    // journal says what ran here.
    if (lost() !== null) break;
    const entry = journaled.get(step.actionId);
    // A retry runs a failed step afresh (its failed entry stays in the journal; the retry journals its own).
    const r = await runStep(
      run,
      step,
      planId,
      mode === 'retry' && entry?.outcome === 'failed' ? undefined : entry,
      outcomes,
      dryRun,
      settled,
      lost,
    );
    outcomes.set(step.actionId, r);
    index++;
    onProgress?.({
      operation: dryRun ? 'reconcile.dry-run' : mode === 'retry' ? 'reconcile.retry' : 'reconcile.apply',
      message: `${r.outcome}: ${r.message}`,
      done: index,
      total,
    });
  }
  const steps = [...outcomes.values()];
  // The plan file is the new holder's now: this process reports (withLock throws) and writes nothing more.
  if (lost() !== null) return { planId, dryRun, status: stored.status, steps };
  // A step whose begin line is still open (its state could not be checked) keeps the plan resumable.
  const open = entriesByAction(await d.journal.entries(), planId);
  const stillOpen = [...open.values()].some((e) => e.outcome === 'pending');
  const status = steps.every((s) => SUCCEEDED.has(s.outcome) || settled.has(s.actionId))
    ? 'done'
    : stillOpen
      ? 'applying'
      : 'partial';
  if (!dryRun)
    await d.plans.save({
      ...stored,
      status,
      applyingPid: null,
      finishedAt: d.now().toISOString(),
    });
  return { planId, dryRun, status: dryRun ? stored.status : status, steps };
}

async function runStep(
  d: ApplierDeps,
  step: PlanStep,
  planId: string,
  entry: JournalEntry | undefined,
  before: ReadonlyMap<string, StepResult>,
  dryRun: boolean,
  settled: Set<string>,
  lost: () => Error | null,
): Promise<StepResult> {
  if (entry?.outcome === 'done')
    return result(step, 'already-done', `Already done (journal ${entry.id}); not run again.`, entry.id);
  if (entry?.outcome === 'failed')
    return result(step, 'failed', `Failed earlier: ${entry.error?.message ?? 'unknown error'}`, entry.id, {
      error: journalError(entry),
    });
  const waiting = step.dependsOn.find((id) => !SUCCEEDED.has(before.get(id)?.outcome ?? 'not-run'));
  if (waiting !== undefined)
    return result(
      step,
      'skipped',
      `Not run: it waits for ${waiting}, which did not succeed.`,
      entry?.id ?? null,
    );
  const runner = stepRunner(d, step);
  try {
    if (await runner.done()) {
      if (entry && !dryRun) await d.journal.end(entry.id, 'done');
      return result(
        step,
        'already-done',
        entry
          ? 'Its effect had already happened before the interruption; closed without running it again.'
          : 'Already so; nothing to do.',
        entry?.id ?? null,
      );
    }
    // The plan was made minutes or days ago (a retry, a resume): a step whose reason is gone does not run.
    const gone = runner.premiseGone ? await runner.premiseGone() : null;
    if (gone !== null) {
      if (entry && !dryRun) await d.journal.end(entry.id, 'failed', { code: 'CONFLICT', message: gone });
      settled.add(step.actionId);
      return result(step, 'skipped', gone, entry?.id ?? null);
    }
    // A dependency that would run first in a real apply has not run in a dry run: its guard is judged then.
    const dependsOnPending = dryRun && step.dependsOn.length > 0;
    const stop = dependsOnPending ? null : await runner.guard();
    if (stop) {
      if (entry && !dryRun)
        await d.journal.end(entry.id, 'failed', { code: stop.code, message: stop.reason });
      return result(step, 'blocked', stop.reason, entry?.id ?? null, {
        guard: stop.guard,
        error: { code: stop.code, message: stop.reason },
      });
    }
    if (dryRun) return result(step, 'would-run', step.effect);
    // Checked again at the last moment: the checks above talk to servers and stores, and the hold can be lost
    // meanwhile (the computer slept, the heartbeat stopped). Nothing is journaled or run beside the new holder.
    if (lost() !== null)
      return result(
        step,
        'not-run',
        'Not run: Passkey Desk lost its hold on the apply lock.',
        entry?.id ?? null,
      );
    const id = entry?.id ?? (await d.journal.begin(await runner.journal(planId)));
    try {
      await runner.run();
    } catch (e) {
      await d.journal.end(id, 'failed', toErrorInfo(e));
      return result(step, 'failed', toErrorInfo(e).message, id, { error: toErrorInfo(e) });
    }
    await d.journal.end(id, 'done');
    return result(step, 'done', step.effect, id);
  } catch (e) {
    // The state could not be checked (server unreachable, store gone): leave the step as it is and say why.
    return result(step, 'failed', toErrorInfo(e).message, entry?.id ?? null, { error: toErrorInfo(e) });
  }
}

/** Gives up on an interrupted plan: closes each open step by what really happened, runs nothing. */
export async function abandonPlan(d: ApplierDeps, planId: string): Promise<ApplyOutcome> {
  return exclusively(d, planId, () => abandonClaimed(d, planId));
}

async function abandonClaimed(d: ApplierDeps, planId: string): Promise<ApplyOutcome> {
  const stored = await claim(
    d,
    planId,
    (s) => {
      // A partial plan (some steps failed or were skipped) can be given up too, so that retry stops offering it.
      if (s.status !== 'applying' && s.status !== 'ready' && s.status !== 'partial')
        throw new PasskeyDeskError(
          'CONFLICT',
          `Plan ${planId} is ${s.status}; only an unfinished or partly applied plan can be abandoned.`,
        );
    },
    // Marked as this process's while its open steps are checked, so no other process runs it meanwhile.
    (s) => ({ ...s, applyingPid: process.pid }),
  );
  const journaled = entriesByAction(await d.journal.entries(), planId);
  const steps: StepResult[] = [];
  for (const step of stored.plan.steps) {
    const entry = journaled.get(step.actionId);
    if (!entry) {
      steps.push(result(step, 'not-run', 'Abandoned before it ran.'));
      continue;
    }
    if (entry.outcome !== 'pending') {
      steps.push(
        result(
          step,
          entry.outcome === 'done' ? 'done' : 'failed',
          entry.outcome === 'done' ? step.effect : (entry.error?.message ?? 'failed'),
          entry.id,
        ),
      );
      continue;
    }
    let happened: boolean | null;
    try {
      happened = await stepRunner(d, step).done();
    } catch {
      happened = null;
    }
    if (happened === true) {
      await d.journal.end(entry.id, 'done');
      steps.push(result(step, 'done', `${step.effect} (it had happened before the interruption)`, entry.id));
    } else {
      const message =
        happened === false
          ? 'Abandoned: interrupted before it took effect.'
          : 'Abandoned: whether it took effect could not be checked; look at the store or server.';
      await d.journal.end(entry.id, 'failed', { code: 'USER_CANCELLED', message });
      steps.push(result(step, 'not-run', message, entry.id));
    }
  }
  await d.plans.save({
    ...stored,
    status: 'abandoned',
    applyingPid: null,
    finishedAt: d.now().toISOString(),
  });
  return { planId, dryRun: false, status: 'abandoned', steps };
}
