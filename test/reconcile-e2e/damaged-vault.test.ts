/**
 * A vault file that cannot be read fails the vault, not the whole reconcile: the other stores and accounts are
 * still compared, and no row rests on the vault (it is not complete, so nothing is an orphan by its say).
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/server';
import { makeDesk } from './support';

describe('reconcile with a damaged vault file', () => {
  it('still runs and plans, naming the vault as unreadable', async () => {
    const server = await startServer({ port: 0 });
    try {
      const desk = await makeDesk();
      const account = await desk.call('accounts.add', {
        serverUrl: server.url,
        method: 'create',
        userName: 'uma',
      });
      await writeFile(join(desk.dataDir, 'vault.json'), '{ damaged');
      const report = await desk.call('reconcile.run', {});
      const rows = report.accounts.find((a) => a.accountId === account.id)?.rows ?? [];
      // The account's only passkey was the vault's: the server still lists it, the vault cannot say it is gone.
      expect(rows.map((r) => r.status)).toEqual(['elsewhere']);
      const inventory = await desk.call('inventory.get', {});
      expect(inventory.stores.find((s) => s.id === 'vault')).toMatchObject({ status: 'error' });
      const plan = await desk.call('reconcile.plan', { selection: 'prune' });
      expect(plan.steps).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
