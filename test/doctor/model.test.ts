/** The pure model: the catalogue, the ranking, the account checks on built inputs, and the report's redaction. */
import { describe, expect, it } from 'vitest';
import type { AccountFacts, Finding } from '../../src/shared/doctor';
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
import type { StoreInfo } from '../../src/shared/model';
import { STORES, account, cred, id, passkey, store } from '../reconcile/fixtures';

function facts(
  acct: ConnectedAccount,
  platform = 'linux',
  passkeys = [passkey(id(1))],
  stores: StoreInfo[] = STORES,
): AccountFacts {
  return {
    account: acct,
    result: reconcile({ passkeys, stores, accounts: [acct], marks: [], retired: [] }),
    stores,
    platform,
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
