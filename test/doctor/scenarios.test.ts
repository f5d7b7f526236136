/**
 * Each message users meet, built for real: the reference server on 127.0.0.1, the vault, passkeys made on another
 * authenticator, the real keyring; the troubleshooter runs through the `doctor.run` channel and its top finding
 * must name the cause.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseRequest } from '../../src/shared/contract/validate';
import type { DoctorRun, Finding } from '../../src/shared/doctor';
import type { RunningServer } from '../../src/server';
import { startServer } from '../../src/server';
import { SoftAuthenticator } from '../helpers/soft-authenticator';
import type { Desk } from './desk';
import { makeDesk } from './desk';

const ICLOUD = Uint8Array.from(Buffer.from('fbfc3007154e4ecc8c0b6e020557d7bd', 'hex'));

let server: RunningServer;
let desk: Desk;
beforeEach(async () => {
  server = await startServer({ port: 0 });
  desk = await makeDesk({ platform: 'linux' });
});
afterEach(async () => server.close());

const top = (run: DoctorRun): Finding => {
  expect(run.top, run.report).not.toBeNull();
  return run.top!;
};

/** An account whose only passkey lives in iCloud Keychain (made on an iPhone): nothing on this Linux machine holds one. */
async function onlyOnIphone() {
  const account = await desk.signUp(server, 'ana');
  const v1 = (await desk.services.vault.list())[0]!.credentialId;
  await desk.addForeignPasskey(server, account.id, new SoftAuthenticator({ aaguid: ICLOUD }));
  await desk.revoke(account.id, v1);
  await desk.services.deletePasskey('vault', v1);
  return account;
}

describe('the messages users meet, and the top finding for each', () => {
  it('"This passkey can no longer be used": the vault passkey was revoked on the server; the fix is a plan that reconcile applies', async () => {
    const account = await desk.signUp(server, 'ana');
    const v1 = (await desk.services.vault.list())[0]!.credentialId;
    await desk.addDuplicateVaultPasskey(server, account.id);
    await desk.revoke(account.id, v1);

    const run = await desk.doctor({ accountId: account.id, message: 'no-longer-usable' });
    const f = top(run);
    expect(f).toMatchObject({ id: 'passkey-status:local-orphan', verdict: 'problem' });
    expect(f.explanation).toContain('This passkey can no longer be used');
    expect(f.fix).toMatchObject({ kind: 'plan', accountId: account.id });
    const fix = f.fix!.kind === 'plan' ? f.fix! : null;
    expect(fix!.selection.actionIds).toEqual([`delete-local:vault:${v1}`]);

    // The troubleshooter never deletes on its own: the vault still holds it until the plan is confirmed and applied.
    expect((await desk.services.vault.list()).map((p) => p.credentialId)).toContain(v1);
    const h = desk.services.handlers;
    const plan = await h['reconcile.plan'](
      parseRequest('reconcile.plan', { accountId: account.id, selection: fix!.selection }),
    );
    await h['reconcile.apply'](parseRequest('reconcile.apply', { planId: plan.planId, confirm: true }));
    expect((await desk.services.vault.list()).map((p) => p.credentialId)).not.toContain(v1);

    const after = await desk.doctor({ accountId: account.id, message: 'no-longer-usable' });
    expect(after.findings.find((x) => x.check === 'passkey-status')?.verdict).not.toBe('problem');
  });

  it('"This passkey can no longer be used" after the vault passkey went to the trash: restoring it is the fix, ranked first', async () => {
    const account = await desk.signUp(server, 'ana');
    const v1 = (await desk.services.vault.list())[0]!.credentialId;
    const h = desk.services.handlers;
    await h['vault.delete'](parseRequest('vault.delete', { credentialId: v1 }));

    const run = await desk.doctor({ accountId: account.id, message: 'no-longer-usable' });
    const f = top(run);
    expect(run.findings[0]).toEqual(f);
    expect(f).toMatchObject({ id: 'passkey-status:in-trash', verdict: 'problem' });
    expect(f.fix).toMatchObject({
      kind: 'steps',
      steps: expect.arrayContaining([
        `Or on the command line: passkey-desk vault restore ${v1}`,
        expect.stringMatching(
          /^In Passkey Desk, open Trash in the sidebar and press Restore next to "ana on /,
        ),
      ]),
      commands: [`passkey-desk vault restore ${v1}`],
    });
    // Not "saved somewhere else" and not "revoke it": either would send the user away from the fix.
    const ids = run.findings.map((x) => x.id);
    expect(ids).not.toContain('passkey-status:none-here');
    expect(ids).not.toContain('passkey-status:server-orphan');
    expect(run.report).toContain(
      '1. [PROBLEM] The passkey this account accepts is in the Passkey Desk trash',
    );
    expect(run.report).toContain(`passkey-desk vault restore ${v1.slice(0, 6)}…${v1.slice(-4)}`);

    // Following the fix works: restored, the passkey is accepted here again.
    await h['vault.restore'](parseRequest('vault.restore', { credentialId: v1 }));
    const after = await desk.doctor({ accountId: account.id, message: 'no-longer-usable' });
    expect(after.findings.find((x) => x.check === 'passkey-status')).toMatchObject({
      id: 'passkey-status',
      verdict: 'ok',
    });
  });

  it('"you already have a passkey": the vault refuses a second one, and where a site let two in, they are duplicates', async () => {
    const account = await desk.signUp(server, 'ana');
    await expect(desk.addVaultPasskey(account.id)).rejects.toMatchObject({ code: 'ALREADY_REGISTERED' });
    await desk.addDuplicateVaultPasskey(server, account.id);
    const f = top(await desk.doctor({ accountId: account.id, message: 'already-have-passkey' }));
    expect(f).toMatchObject({ id: 'passkey-status:duplicate', verdict: 'problem' });
    expect(f.explanation).toContain('you already have a passkey');
  });

  it('"I created a passkey but can\'t log in with it": the account\'s only passkey is on an iPhone', async () => {
    const account = await onlyOnIphone();
    const run = await desk.doctor({ accountId: account.id, message: 'created-cant-sign-in' });
    expect(top(run)).toMatchObject({ id: 'passkey-status:none-here', verdict: 'problem' });
    expect(run.findings.find((x) => x.check === 'store-reach')).toMatchObject({ verdict: 'problem' });
  });

  it('a passkey that works on one device but not another: iCloud Keychain cannot reach Linux', async () => {
    const account = await onlyOnIphone();
    const f = top(await desk.doctor({ accountId: account.id, message: 'works-on-one-device' }));
    expect(f).toMatchObject({ check: 'store-reach', verdict: 'problem' });
    expect(f.evidence[0]?.value).toContain('iCloud Keychain: not usable on this OS');
    expect(f.explanation).toContain('Linux cannot use them');
  });

  it('a QR code although no passkey was ever created: the account has none registered', async () => {
    const account = await desk.signUp(server, 'ana');
    // The account's passkeys were reset by the site's operator (account recovery): none is registered now.
    await server.db.deleteFrom('credentials').execute();
    await desk.services.deletePasskey('vault', (await desk.services.vault.list())[0]!.credentialId);
    const f = top(await desk.doctor({ accountId: account.id, message: 'qr-without-passkey' }));
    expect(f).toMatchObject({ id: 'passkey-status:none-registered', verdict: 'problem' });
    expect(f.explanation).toContain('QR code');
  });

  it('"We couldn\'t sign you in" on Android: the work/personal profile is the thing to check', async () => {
    const account = await desk.signUp(server, 'ana');
    const run = await desk.doctor({ accountId: account.id, message: 'android-work-profile' });
    expect(top(run)).toMatchObject({ id: 'android-profile', verdict: 'unknown' });
    expect(run.findings.find((x) => x.check === 'passkey-status')?.verdict).toBe('ok');
  });

  it('an account whose server is down: the account checks say so, reachability is the problem', async () => {
    const account = await desk.signUp(server, 'ana');
    await server.close();
    const run = await desk.doctor({ accountId: account.id, message: 'no-longer-usable' });
    expect(run.findings.find((x) => x.check === 'passkey-status')).toMatchObject({
      verdict: 'unknown',
      evidence: [{ label: 'Error', value: 'SERVER_UNREACHABLE' }],
    });
    expect(top(run)).toMatchObject({ check: 'server-reachable', verdict: 'problem' });
    server = await startServer({ port: 0 });
  });
});

describe('the support report', () => {
  it('has the findings with evidence, shortened credential IDs, and no token, user handle or key material', async () => {
    const account = await desk.signUp(server, 'ana');
    const v1 = (await desk.services.vault.list())[0]!.credentialId;
    const v2 = await desk.addDuplicateVaultPasskey(server, account.id);
    await desk.revoke(account.id, v1);
    const run = await desk.doctor({ accountId: account.id, message: 'no-longer-usable' });
    const token = await desk.sessionToken(account.id);
    expect(token.length).toBeGreaterThan(20);

    expect(run.report).toContain('Passkey Desk troubleshooting report');
    expect(run.report).toContain('Message seen: "This passkey can no longer be used"');
    expect(run.report).toContain('[PROBLEM]');
    expect(run.report).toContain(`${v1.slice(0, 6)}…${v1.slice(-4)}`);
    for (const secret of [
      token,
      token.slice(0, 16),
      v1,
      v2,
      account.userHandle,
      'BEGIN',
      'Bearer',
      desk.dataDir,
    ]) {
      expect(run.report).not.toContain(secret);
    }
    // Nothing in the whole run (the JSON `--json` prints) carries the token either.
    expect(JSON.stringify(run)).not.toContain(token);
    expect(JSON.stringify(run)).not.toContain(token.slice(0, 16));
  });
});
