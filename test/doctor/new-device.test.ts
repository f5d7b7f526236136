/**
 * "I got a new device", for real: the account's old passkeys live on an iPhone, an old Windows PC and a vault that
 * is gone; on this computer the flow creates a vault passkey, registers it, proves it signs in, and only then turns
 * the old ones into a revoke plan that `reconcile.apply` runs after confirmation.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AccountView } from '../../src/shared/contract/accounts';
import { parseRequest } from '../../src/shared/contract/validate';
import type { RunningServer } from '../../src/server';
import { startServer } from '../../src/server';
import { SoftAuthenticator } from '../helpers/soft-authenticator';
import type { Desk } from './desk';
import { makeDesk } from './desk';
import { serverCredentialIds } from '../e2e/support/accounts-server';
import { PASSKEY_DESK_AAGUID } from '../../src/shared/reconcile';

const aaguid = (hex: string) => Uint8Array.from(Buffer.from(hex.replace(/-/g, ''), 'hex'));
const ICLOUD = aaguid('fbfc3007-154e-4ecc-8c0b-6e020557d7bd');
const WINDOWS_HELLO = aaguid('08987058-cadc-4b81-b6e1-30de50dcbe96');

let server: RunningServer;
let desk: Desk;
let account: AccountView;
let old: { vault: string; iphone: string; pc: string };

beforeEach(async () => {
  server = await startServer({ port: 0 });
  desk = await makeDesk({ platform: 'linux' });
  account = await desk.signUp(server, 'ana');
  const vault = (await desk.services.vault.list())[0]!.credentialId;
  const iphone = await desk.addForeignPasskey(server, account.id, new SoftAuthenticator({ aaguid: ICLOUD }));
  const pc = await desk.addForeignPasskey(
    server,
    account.id,
    new SoftAuthenticator({ aaguid: WINDOWS_HELLO }),
  );
  // The old computer's vault is gone: this computer starts without a passkey for the account (the session remains).
  await desk.services.deletePasskey('vault', vault);
  await desk.services.vault.purge(vault);
  old = { vault, iphone, pc };
});
afterEach(async () => server.close());

const h = () => desk.services.handlers;
const serverIds = () => serverCredentialIds(desk.services, account.id);

describe('new device: add the new passkey first, then remove the old ones', () => {
  it('refuses to plan removals before a passkey on this computer signs in', async () => {
    await expect(
      h()['doctor.newDeviceRetire'](
        parseRequest('doctor.newDeviceRetire', { accountId: account.id, credentialIds: [old.iphone] }),
      ),
    ).rejects.toMatchObject({ code: 'LAST_PASSKEY' });
    expect(await serverIds()).toEqual([old.vault, old.iphone, old.pc].sort());
  });

  it('creates, registers and confirms the new passkey, then plans the revokes; only apply revokes them', async () => {
    const added = await h()['doctor.newDeviceAdd'](
      parseRequest('doctor.newDeviceAdd', { accountId: account.id }),
    );
    expect(added.confirmed).toBe(true);
    expect(added.passkey.store).toBe('vault');
    const fresh = added.passkey.credentialId;
    expect(await serverIds()).toContain(fresh);
    expect(added.others.map((o) => [o.credentialId, o.madeBy, o.onThisComputer]).sort()).toEqual(
      [
        [old.vault, 'Passkey Desk vault', false],
        [old.iphone, 'iCloud Keychain', false],
        [old.pc, 'Windows Hello', false],
      ].sort(),
    );

    // Choosing the new one too is refused: that would leave nothing here that signs in.
    await expect(
      h()['doctor.newDeviceRetire'](
        parseRequest('doctor.newDeviceRetire', { accountId: account.id, credentialIds: [fresh, old.pc] }),
      ),
    ).rejects.toMatchObject({ code: 'LAST_PASSKEY' });

    const retire = await h()['doctor.newDeviceRetire'](
      parseRequest('doctor.newDeviceRetire', {
        accountId: account.id,
        credentialIds: [old.vault, old.iphone, old.pc],
      }),
    );
    expect(retire.marked.sort()).toEqual([old.iphone, old.pc].sort());
    expect(retire.plan.steps.map((s) => [s.kind, s.target.credentialId]).sort()).toEqual(
      [
        ['revoke-server', old.vault],
        ['revoke-server', old.iphone],
        ['revoke-server', old.pc],
      ].sort(),
    );
    expect(retire.plan.blocked).toEqual([]);
    // Planned, not done.
    expect(await serverIds()).toHaveLength(4);

    await h()['reconcile.apply'](
      parseRequest('reconcile.apply', { planId: retire.plan.planId, confirm: true }),
    );
    expect(await serverIds()).toEqual([fresh]);

    const after = await desk.doctor({ accountId: account.id, message: 'new-device' });
    expect(after.findings.find((f) => f.check === 'passkey-status')).toMatchObject({ verdict: 'ok' });
  });

  it("marks a passkey from Passkey Desk on the old computer as deleted on 'another device', not on a phone", async () => {
    const otherDesk = await desk.addForeignPasskey(
      server,
      account.id,
      new SoftAuthenticator({ aaguid: aaguid(PASSKEY_DESK_AAGUID) }),
    );
    await h()['doctor.newDeviceAdd'](parseRequest('doctor.newDeviceAdd', { accountId: account.id }));
    const retire = await h()['doctor.newDeviceRetire'](
      parseRequest('doctor.newDeviceRetire', { accountId: account.id, credentialIds: [otherDesk] }),
    );
    expect(retire.marked).toEqual([otherDesk]);
    expect((await desk.services.marks.list()).map((m) => [m.credentialId, m.store])).toEqual([
      [otherDesk, 'guided:other'],
    ]);
    expect(retire.plan.steps.map((s) => [s.kind, s.target.credentialId])).toEqual([
      ['revoke-server', otherDesk],
    ]);
  });

  it('Windows Hello as the new store is refused with a clear reason (not available yet)', async () => {
    await expect(
      h()['doctor.newDeviceAdd'](
        parseRequest('doctor.newDeviceAdd', { accountId: account.id, store: 'windows-hello' }),
      ),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });
});
