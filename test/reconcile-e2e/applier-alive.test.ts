/**
 * A plan marked "being applied" by a process is busy only while that very process runs: after a crash and a
 * reboot another process may get the same pid, and must not keep the plan from being resumed or abandoned.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { applierAlive, markedHere, processStart } from '../../src/main/reconcile/plan-files';
import type { StoredPlan } from '../../src/main/reconcile/plan-files';

const plan = (over: Partial<StoredPlan>): StoredPlan => ({
  format: 'passkey-desk-plan',
  version: 1,
  planId: 'p-1',
  accountId: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  status: 'applying',
  applyingPid: null,
  finishedAt: null,
  plan: { id: 'x', steps: [], blocked: [], skipped: [] },
  ...over,
});

describe('whether the applier of a plan still runs', () => {
  it('is this process when this process marked it', () => {
    const marked = markedHere(plan({}));
    expect(marked.applyingPid).toBe(process.pid);
    expect(applierAlive(marked)).toBe(true);
  });

  it('is not, for a pid that has ended', () => {
    const ended = spawnSync(process.execPath, ['-e', '0']).pid;
    expect(applierAlive(plan({ applyingPid: ended, applyingSince: null }))).toBe(false);
  });

  it('is not, for a live pid that started at another time (a later process given the same pid)', () => {
    // Only Linux tells a process's start time; elsewhere the pid alone decides.
    if (process.platform !== 'linux') return expect(processStart()).toBeNull();
    expect(processStart()).toMatch(/^\d+$/);
    expect(applierAlive(plan({ applyingPid: process.pid, applyingSince: '1' }))).toBe(false);
    // Plans saved before the start time was kept: the pid alone decides, as it did.
    expect(applierAlive(plan({ applyingPid: process.pid }))).toBe(true);
  });
});
