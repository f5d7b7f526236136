/**
 * Plans do not pile up in plans/: every `prune` print and every Fix builds one. When the next plan is built,
 * those never applied go after a day, and those that ran to their end after 30 days (the journal keeps the
 * record); plans running, interrupted or partly applied stay.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KEEP_FINISHED_MS, STALE_READY_MS } from '../../src/main/reconcile/plan-files';
import { makeDesk } from './support';

describe('stale plans', () => {
  it('drops ready plans older than a day when a new plan is built, and keeps the rest', async () => {
    let now = new Date('2026-03-01T10:00:00.000Z');
    const desk = await makeDesk({ now: () => now });
    const files = async () => (await readdir(join(desk.dataDir, 'plans'))).sort();

    const old = await desk.call('reconcile.plan', { selection: 'prune' });
    now = new Date(now.getTime() + 1000); // a plan id is its content hash plus its creation time
    const applied = await desk.call('reconcile.plan', { selection: 'all-safe' });
    await desk.call('reconcile.apply', { planId: applied.planId, confirm: true });
    now = new Date(now.getTime() + STALE_READY_MS - 2000);
    const recent = await desk.call('reconcile.plan', { selection: 'prune' });
    expect(await files()).toEqual(
      [old.planId, applied.planId, recent.planId].map((id) => `${id}.json`).sort(),
    );

    now = new Date(now.getTime() + 3000);
    const next = await desk.call('reconcile.plan', { selection: 'prune' });
    // The never-applied plan from a day ago is gone; the applied one and the recent one stay.
    expect(await files()).toEqual(
      [applied.planId, recent.planId, next.planId].map((id) => `${id}.json`).sort(),
    );
    await expect(desk.call('reconcile.apply', { planId: old.planId, confirm: true })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });

    // 30 days after it finished, the applied plan goes too (a day before, it stays); the new one is kept.
    now = new Date(now.getTime() + KEEP_FINISHED_MS - STALE_READY_MS - 5000);
    const later = await desk.call('reconcile.plan', { selection: 'prune' });
    expect(await files()).toEqual([applied.planId, later.planId].map((id) => `${id}.json`).sort());
    now = new Date(now.getTime() + STALE_READY_MS + 5000);
    const last = await desk.call('reconcile.plan', { selection: 'prune' });
    expect(await files()).toEqual([`${last.planId}.json`]);
  });
});
