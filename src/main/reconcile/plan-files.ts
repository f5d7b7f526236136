/**
 * Plans kept on disk (plans/<planId>.json, written atomically) from the moment they are built: applying one
 * marks it `applying` with the applier's process id before the first step, so a crash leaves a plan the next
 * start can find, finish or abandon. Plans hold targets and effects only, never secrets.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { PlanStatus, PlanView } from '../../shared/contract/accounts';
import { PasskeyDeskError } from '../../shared/errors';
import type { Plan } from '../../shared/reconcile';
import { describePlan } from '../../shared/reconcile';
import { writeFileAtomic } from '../fs/atomic';
import { fsError, readDataFile } from '../fs/errors';

export interface StoredPlan {
  format: 'passkey-desk-plan';
  version: 1;
  planId: string;
  accountId: string | null;
  createdAt: string;
  status: PlanStatus;
  /** The process applying it right now (null when none): a second applier refuses while it is alive. */
  applyingPid: number | null;
  finishedAt: string | null;
  plan: Plan;
}

const ID = /^[a-z0-9.-]{1,80}$/;
/** How long a plan that was built but never applied is kept (see discardStale). */
export const STALE_READY_MS = 24 * 60 * 60 * 1000;
/** How long a plan that ran to its end (done, or abandoned) is kept after it finished (see discardStale). */
export const KEEP_FINISHED_MS = 30 * STALE_READY_MS;

export class PlanFiles {
  readonly dir: string;
  constructor(dataDir: string) {
    this.dir = join(dataDir, 'plans');
  }

  private path(planId: string): string {
    if (!ID.test(planId)) throw new PasskeyDeskError('INVALID_INPUT', `"${planId}" is not a plan id.`);
    return join(this.dir, `${planId}.json`);
  }

  async save(p: StoredPlan): Promise<void> {
    await writeFileAtomic(this.path(p.planId), `${JSON.stringify(p, null, 2)}\n`);
  }

  /**
   * Removes plans nothing will read again, so that plans/ (read whole by `pending` and `latestPartial`) does not
   * grow with history: plans built but never applied (`ready`) after a day (every print of `prune` and every Fix
   * in the app builds one, and a plan that old would be rebuilt from a fresh reconcile anyway), and plans that
   * ran to their end (`done`, `abandoned`) 30 days after they finished; the journal keeps the record of every
   * step. Plans still running, interrupted or partly applied stay until they are finished or abandoned.
   */
  async discardStale(now: Date): Promise<number> {
    const readyCutoff = now.getTime() - STALE_READY_MS;
    const finishedCutoff = now.getTime() - KEEP_FINISHED_MS;
    let removed = 0;
    for (const p of await this.list()) {
      const stale =
        p.status === 'ready'
          ? Date.parse(p.createdAt) < readyCutoff
          : (p.status === 'done' || p.status === 'abandoned') &&
            Date.parse(p.finishedAt ?? p.createdAt) < finishedCutoff;
      if (!stale) continue;
      await rm(this.path(p.planId), { force: true });
      removed++;
    }
    return removed;
  }

  async load(planId: string): Promise<StoredPlan> {
    const text = await readDataFile(this.path(planId));
    if (text === null)
      throw new PasskeyDeskError(
        'NOT_FOUND',
        `No plan "${planId}". Build one first (reconcile.plan, or passkey-desk prune --dry-run).`,
      );
    try {
      const p = JSON.parse(text) as StoredPlan;
      if (p.format !== 'passkey-desk-plan' || p.planId !== planId || !Array.isArray(p.plan?.steps))
        throw new Error('shape');
      return p;
    } catch {
      throw new PasskeyDeskError(
        'DATA_CORRUPT',
        `The plan file plans/${planId}.json is damaged; abandon it by deleting the file and build a new plan.`,
      );
    }
  }

  async list(): Promise<StoredPlan[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw fsError(e, this.dir, 'read');
    }
    const plans: StoredPlan[] = [];
    for (const name of names) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      try {
        plans.push(await this.load(name.slice(0, -5)));
      } catch (e) {
        // A damaged file is reported when it is opened by id; one that cannot be read at all is reported now.
        if (e instanceof PasskeyDeskError && e.code === 'DATA_UNAVAILABLE') throw e;
      }
    }
    return plans.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
}

export function toPlanView(p: StoredPlan): PlanView {
  return {
    planId: p.planId,
    contentId: p.plan.id,
    accountId: p.accountId,
    createdAt: p.createdAt,
    status: p.status,
    steps: p.plan.steps,
    blocked: p.plan.blocked,
    skipped: p.plan.skipped,
    description: describePlan(p.plan),
    notRead: [],
  };
}

/** Whether a process id belongs to a live process (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
