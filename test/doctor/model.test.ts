/** The pure model: the catalogue, the ranking, the account checks on built inputs, and the report's redaction. */
import { describe, expect, it } from 'vitest';
import type { AccountFacts, DoctorContext, Finding, MessageKey } from '../../src/shared/doctor';
import { bluezFindings, passkeyStatusCheck } from '../../src/main/doctor';
import {
  CHECK_IDS,
  MESSAGES,
  MESSAGE_KEYS,
  finding,
  passkeyStatusFindings,
  rankFindings,
  redactReport,
  renderReport,
  storeReachFindings,
  topFinding,
  whereabouts,
} from '../../src/shared/doctor';
import type { ConnectedAccount } from '../../src/shared/reconcile';
import { reconcile } from '../../src/shared/reconcile';
import { PASSKEY_DESK_AAGUID } from '../../src/shared/aaguid';
import type { StoreInfo, TrashEntry } from '../../src/shared/model';
import { STORES, account, cred, gone, id, passkey, store } from '../reconcile/fixtures';

function facts(
  acct: ConnectedAccount,
  platform = 'linux',
  passkeys = [passkey(id(1))],
  stores: StoreInfo[] = STORES,
  trash: TrashEntry[] = [],
): AccountFacts {
  // What the vault reports: its trashed passkeys are among its retired ones.
  const retired = trash.map((t) => gone(t.passkey.credentialId, { rpId: t.passkey.rpId }));
  return {
    account: acct,
    result: reconcile({ passkeys, stores, accounts: [acct], marks: [], retired }),
    stores,
    platform,
    trash,
  };
}

describe('the message catalogue', () => {
  it('has every message of the issue, each with wordings and known checks', () => {
    expect(MESSAGE_KEYS).toHaveLength(9);
    for (const m of MESSAGES) {
      expect(m.wordings.length).toBeGreaterThan(0);
      for (const c of Object.keys(m.checks)) expect(CHECK_IDS).toContain(c);
    }
    const words = MESSAGES.flatMap((m) => m.wordings).join('\n');
    for (const w of [
      'This passkey can no longer be used',
      'passkey not found',
      "We couldn't use your device to verify your identity",
      "We couldn't sign you in",
      'You already have a passkey',
      "I created a passkey but can't log in with it",
    ]) {
      expect(words).toContain(w);
    }
  });
});

describe('ranking', () => {
  const f = (check: Finding['check'], verdict: Finding['verdict'], likelihood: number) =>
    finding({ id: check, check, verdict, title: check, explanation: '', likelihood });
  it('problems before unknowns before ok; the message weighs the checks', () => {
    const ranked = rankFindings(
      [
        f('platform', 'ok', 1),
        f('sync', 'unknown', 0.9),
        f('bluetooth', 'problem', 0.9),
        f('passkey-status', 'problem', 0.9),
      ],
      'no-qr-code',
    );
    expect(ranked.map((x) => x.check)).toEqual(['bluetooth', 'passkey-status', 'sync', 'platform']);
    expect(topFinding(ranked)?.check).toBe('bluetooth');
    expect(
      rankFindings(
        [f('bluetooth', 'problem', 0.9), f('passkey-status', 'problem', 0.9)],
        'no-longer-usable',
      )[0]?.check,
    ).toBe('passkey-status');
  });
  it('for a message an account explains, the account prompt outranks a machine problem the message does not name', async () => {
    const noAccount = (message: MessageKey | null): DoctorContext => ({
      platform: 'linux',
      message,
      account: null,
      accountError: null,
      serverUrl: null,
    });
    const bluetooth = bluezFindings({ kind: 'no-service', detail: 'not running', tool: 'busctl' });
    for (const m of MESSAGES.filter((x) => x.needsAccount && x.checks.bluetooth === undefined)) {
      const prompt = await passkeyStatusCheck().run(noAccount(m.key));
      const ranked = rankFindings([...bluetooth, ...prompt], m.key);
      expect(
        ranked.map((x) => x.title),
        m.key,
      ).toEqual(['Pick the account to check its passkeys', 'The Bluetooth service is not running']);
      expect(topFinding(ranked)?.check, m.key).toBe('passkey-status');
    }
    // Where Bluetooth can explain the message (a phone's QR code), a dead Bluetooth service still comes first.
    for (const key of ['no-qr-code', 'works-on-one-device'] as const) {
      const prompt = await passkeyStatusCheck().run(noAccount(key));
      expect(topFinding(rankFindings([...prompt, ...bluetooth], key))?.check, key).toBe('bluetooth');
    }
  });

  it('the top finding is the first one ranked, whatever its verdict, unless all are ruled out', () => {
    const ranked = rankFindings(
      [f('bluetooth', 'problem', 0.9), f('passkey-status', 'unknown', 0.9)],
      'already-have-passkey',
    );
    expect(ranked.map((x) => x.check)).toEqual(['passkey-status', 'bluetooth']);
    expect(topFinding(ranked)).toBe(ranked[0]);
  });

  it('all ok: no top finding', () => {
    expect(topFinding(rankFindings([f('platform', 'ok', 1)], null))).toBeNull();
  });
});

describe('account checks on built inputs', () => {
  it('no passkey registered at all: the QR code that leads nowhere', () => {
    const [first] = passkeyStatusFindings(facts(account([]), 'linux', []));
    expect(first).toMatchObject({ id: 'passkey-status:none-registered', verdict: 'problem' });
    expect(first!.explanation).toContain('no device holds a passkey for this account');
  });

  it('none accepted, but a stale one here: the two findings agree (no "no device holds one")', () => {
    const found = passkeyStatusFindings(facts(account([]), 'linux', [passkey(id(1))]));
    expect(found.map((x) => x.id)).toEqual(['passkey-status:none-registered', 'passkey-status:local-orphan']);
    expect(found[0]!.explanation).not.toContain('no device holds');
    expect(found[0]!.explanation).toMatch(
      /accepts no passkey for .* any more \(the one still on this computer was removed from it: see below\)/,
    );
  });

  describe('a passkey the server accepts, deleted here and waiting in the vault trash', () => {
    const trashed = (n: number): TrashEntry => ({
      passkey: passkey(id(n, 32)),
      deletedAt: '2026-01-02T03:04:05.000Z',
    });
    const vaultCred = (n: number) => cred(id(n, 32), { aaguid: PASSKEY_DESK_AAGUID });

    it('is the first problem, with the exact restore steps; neither "saved somewhere else" nor "revoke it"', () => {
      const found = passkeyStatusFindings(facts(account([vaultCred(1)]), 'linux', [], STORES, [trashed(1)]));
      expect(found.map((f) => f.id)).toEqual(['passkey-status:in-trash']);
      const [f] = found;
      expect(f).toMatchObject({ verdict: 'problem', likelihood: 0.98 });
      expect(f!.title).toBe('The passkey this account accepts is in the Passkey Desk trash');
      expect(f!.explanation).toContain('This passkey can no longer be used');
      expect(f!.explanation).toContain('Do not revoke it on the server');
      expect(f!.evidence).toContainEqual({
        label: `Passkey ${id(1, 32).slice(0, 6)}…${id(1, 32).slice(-4)}`,
        value: 'in the Passkey Desk trash since 2026-01-02; the server still accepts it',
      });
      expect(f!.fix).toEqual({
        kind: 'steps',
        label: 'Restore it from the trash',
        steps: [
          `In Passkey Desk, open Trash in the sidebar and press Restore next to "ana@example.com on example.com" (${id(1, 32).slice(0, 6)}…${id(1, 32).slice(-4)}).`,
          `Or on the command line: passkey-desk vault restore ${id(1, 32)}`,
          'Then sign in again: the browser offers the passkey once more.',
        ],
        commands: [`passkey-desk vault restore ${id(1, 32)}`],
      });
      // Ranked for the message the tester saw, it comes first.
      expect(rankFindings(found, 'no-longer-usable')[0]?.id).toBe('passkey-status:in-trash');
    });

    it('one purged (key gone) and one in the trash: only the trashed one is restored, the purged one is revoked', () => {
      const acct = account([vaultCred(1), vaultCred(2)]);
      const f = facts(acct, 'linux', [], STORES, [trashed(1)]);
      const withPurged = {
        ...f,
        result: reconcile({
          passkeys: [],
          stores: STORES,
          accounts: [acct],
          marks: [],
          retired: [gone(id(1, 32)), gone(id(2, 32))],
        }),
      };
      const found = passkeyStatusFindings(withPurged);
      expect(found.map((x) => x.id)).toEqual(['passkey-status:in-trash', 'passkey-status:server-orphan']);
      expect(found[0]!.fix).toMatchObject({ commands: [`passkey-desk vault restore ${id(1, 32)}`] });
      expect(found[1]!.evidence.map((e) => e.label)).toEqual([
        `Passkey ${id(2, 32).slice(0, 6)}…${id(2, 32).slice(-4)}`,
      ]);
    });

    it('while another passkey here signs in, it is named but not ranked as the cause', () => {
      const found = passkeyStatusFindings(
        facts(account([cred(id(3)), vaultCred(1)]), 'linux', [passkey(id(3))], STORES, [trashed(1)]),
      );
      expect(found.map((x) => x.id)).toEqual(['passkey-status:in-trash']);
      expect(found[0]).toMatchObject({ likelihood: 0.5 });
      expect(found[0]!.explanation).toContain('this is not what stops you');
    });

    it('a trashed passkey the server no longer accepts, or for another site, is not offered for restore', () => {
      const other: TrashEntry = { ...trashed(1), passkey: passkey(id(1, 32), { rpId: 'other.example' }) };
      // The server accepts id 1 (for example.com) and id 3 (here); the trash holds id 1 for another site and id 4.
      const found = passkeyStatusFindings(
        facts(account([cred(id(3)), vaultCred(1)]), 'linux', [passkey(id(3))], STORES, [trashed(4), other]),
      );
      expect(found.map((x) => x.id)).toEqual(['passkey-status']);
      expect(JSON.stringify(found)).not.toContain('trash');
    });
  });

  describe('a passkey made by Passkey Desk that is not in this vault', () => {
    const desk = cred(id(5, 32), { aaguid: PASSKEY_DESK_AAGUID });
    it('while the vault cannot be read: the vault is named as what to fix, not "saved somewhere else"', () => {
      const stores = [
        store('vault', 'vault', { status: 'error', reason: 'damaged', complete: false }),
        ...STORES.slice(1),
      ];
      const f = facts(account([desk]), 'linux', [], stores);
      const [none] = passkeyStatusFindings(f);
      expect(none).toMatchObject({ id: 'passkey-status:none-here', likelihood: 0.6 });
      expect(none!.explanation).toContain('the Passkey Desk vault cannot be read right now (error)');
      expect(none!.explanation).not.toContain('saved somewhere else');
      const [reach] = storeReachFindings(f);
      expect(reach).toMatchObject({ verdict: 'unknown' });
      expect(reach!.evidence[0]?.value).toContain('usable here only if set up');
    });
    it("while the vault reads fine: another computer's Passkey Desk, not usable here", () => {
      const [reach] = storeReachFindings(facts(account([desk]), 'linux', []));
      expect(reach).toMatchObject({ verdict: 'problem' });
      expect(reach!.explanation).toContain('made by Passkey Desk on another computer');
      expect(reach!.evidence[0]?.value).not.toContain('usable here (');
    });
  });

  it('a Windows Hello passkey from another PC: not usable on this PC, whose Windows Hello was read completely', () => {
    const wh = cred(id(2), { aaguid: '08987058-cadc-4b81-b6e1-30de50dcbe96' });
    const [f] = storeReachFindings(facts(account([wh]), 'win32', []));
    expect(f).toMatchObject({ verdict: 'problem' });
    expect(f!.explanation).toContain('Windows Hello passkey from another PC');
  });

  it('an iCloud passkey on a Mac depends on iCloud Keychain being on (unknown, with the setting)', () => {
    const [f] = storeReachFindings(
      facts(account([cred(id(2), { aaguid: 'fbfc3007-154e-4ecc-8c0b-6e020557d7bd' })]), 'darwin', []),
    );
    expect(f).toMatchObject({ verdict: 'unknown' });
    expect(f!.fix?.kind === 'steps' && f!.fix.steps.join(' ')).toContain('iCloud');
  });

  it('a security key that is not plugged in', () => {
    const key = cred(id(3), { transports: ['usb'], aaguid: null, providerName: null });
    const [f] = storeReachFindings(facts(account([key]), 'linux', []));
    expect(f!.evidence[0]?.value).toContain('a security key');
    expect(f!.fix?.kind === 'steps' && f!.fix.steps[0]).toContain('Plug in the security key');
  });

  it('an accepted passkey in the vault: ok, and the store-reach check says it works here', () => {
    const acct = account([cred(id(1))]);
    expect(passkeyStatusFindings(facts(acct))[0]).toMatchObject({ id: 'passkey-status', verdict: 'ok' });
    expect(storeReachFindings(facts(acct))[0]).toMatchObject({ verdict: 'ok' });
  });

  it('an unavailable store holding the only accepted passkey is not "works here"', () => {
    const stores = [
      store('vault', 'vault', { status: 'locked', reason: 'the keyring is locked' }),
      ...STORES.slice(1),
    ];
    const [f] = storeReachFindings(facts(account([cred(id(1))]), 'linux', [passkey(id(1))], stores));
    expect(f?.verdict).not.toBe('ok');
  });

  it('ecosystems by OS', () => {
    const icloud = {
      aaguid: 'fbfc3007-154e-4ecc-8c0b-6e020557d7bd',
      providerName: null,
      transports: [],
      deviceType: null,
    };
    expect(whereabouts(icloud, 'win32').usable).toBe('no');
    expect(whereabouts(icloud, 'darwin').usable).toBe('maybe');
    expect(whereabouts({ ...icloud, aaguid: null, providerName: '1Password' }, 'linux').ecosystem).toBe(
      'password-manager',
    );
  });
});

describe('the report', () => {
  const longId = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCd';
  it('shortens IDs and drops tokens, bearer headers, PEM blocks and secret fields', () => {
    const text = [
      `Passkey ${longId}`,
      'Authorization: Bearer abc.def.ghi',
      'token=s3cr3t-t0ken-value',
      '{"pin": "123456"}',
      '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----',
      'GET /api/account/passkeys',
      'mysecretvalue',
    ].join('\n');
    const out = redactReport(text, ['mysecretvalue']);
    expect(out).toContain(`Passkey AbCdEf…AbCd`);
    expect(out).not.toContain(longId);
    for (const s of ['abc.def.ghi', 's3cr3t', '123456', 'PRIVATE KEY', 'MIGHAgEA', 'mysecretvalue'])
      expect(out).not.toContain(s);
    expect(out).toContain('/api/account/passkeys');
  });

  it('keeps every message key whole in "Message seen", and identifiers made of words', () => {
    for (const m of MESSAGES) {
      const text = renderReport([], {
        at: '2026-01-01T00:00:00.000Z',
        appVersion: '1.0.0',
        system: 'Linux 6.1 (x64)',
        message: m.key,
        account: null,
      });
      expect(text).toContain(`Message seen: "${m.wordings[0]}" (${m.key})\n`);
    }
    const words =
      'Set DBUS_SESSION_BUS_ADDRESS, start gnome-keyring-daemon, see passkey-status:already-have-passkey.';
    expect(redactReport(words)).toBe(words);
  });

  it('still shortens every run that can be an ID or a token, whatever its alphabet', () => {
    const runs = [
      'abcdefghijklmnopqrst0', // lowercase with a digit (base32, base36)
      '0123456789abcdef0123456789abcdef01234567', // hex
      'ABCDEF0123456789ABCDEF0123', // upper-case hex
      'Zm9vYmFyYmF6cXV4cXV1eA', // base64url, mixed case
      'abcdefghijklmnopqrstuvwxyzabcd', // letters only, no word breaks
      'abc-DEF_ghi-JKL_mno-PQR', // words, but mixed case
      'aB3-xY_9zQ-Lm4_Np7-Qr8', // base64url with dashes and underscores
    ];
    for (const run of runs) {
      const out = redactReport(`Passkey ${run} done`);
      expect(out, run).not.toContain(run);
      expect(out, run).toContain(`Passkey ${run.slice(0, 6)}…${run.slice(-4)} done`);
    }
  });

  it('lists each finding with its verdict, evidence and fix', () => {
    const f = finding({
      id: 'bluetooth',
      check: 'bluetooth',
      verdict: 'problem',
      title: 'Bluetooth is turned off',
      explanation: 'Needed for the QR code.',
      evidence: [{ label: 'Adapter hci0', value: 'present, powered off' }],
      fix: { kind: 'steps', label: 'Turn Bluetooth on', steps: ['Open Settings.'] },
      likelihood: 0.9,
    });
    const text = renderReport([f], {
      at: '2026-01-01T00:00:00.000Z',
      appVersion: '1.0.0',
      system: 'Linux 6.1 (x64)',
      message: 'no-qr-code',
      account: null,
    });
    expect(text).toContain('1. [PROBLEM] Bluetooth is turned off  (bluetooth, likelihood 0.9)');
    expect(text).toContain('   - Adapter hci0: present, powered off');
    expect(text).toContain('     1. Open Settings.');
    expect(text).toContain('Message seen: "No QR code');
  });
});
