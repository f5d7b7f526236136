/**
 * Which store holds each passkey the account accepts, and whether that store can be used on this OS: an iCloud
 * passkey on Windows, a Windows Hello passkey from another PC, a security key that is not plugged in.
 */
import { shortId } from '../model';
import type { ReconcileRow } from '../reconcile';
import type { AccountFacts } from './account-facts';
import { accountRows, storeLabel, who } from './account-facts';
import type { Usable, Whereabouts } from './ecosystem';
import { osName, whereabouts } from './ecosystem';
import type { Evidence, Finding, Fix } from './types';
import { finding } from './types';

const CHECK = 'store-reach' as const;

interface Placed {
  row: ReconcileRow;
  where: Whereabouts;
}

export function storeReachFindings(facts: AccountFacts): Finding[] {
  const accepted = accountRows(facts).filter(
    (r) =>
      r.server !== null && (r.status === 'synced' || r.status === 'elsewhere' || r.status === 'duplicate'),
  );
  if (accepted.length === 0) return [];
  const placed = accepted.map((row) => ({ row, where: place(facts, row) }));
  const evidence: Evidence[] = placed.map(({ row, where }) => ({
    label: `Passkey ${shortId(row.credentialId)}`,
    value: `${where.label}: ${usableWords(where.usable)}${row.local ? '' : " (the server's guess from its authenticator ID)"}`,
  }));
  const here = placed.filter((p) => p.row.local !== null && p.where.usable === 'yes');
  if (here.length > 0) {
    return [
      finding({
        id: CHECK,
        check: CHECK,
        verdict: 'ok',
        title: `A passkey for this account is in ${storeLabel(facts, here[0]!.row.store)}, which works here`,
        explanation: `At least one passkey ${facts.account.rpId} accepts is held by a store this computer can use.`,
        evidence,
        likelihood: 0.9,
      }),
    ];
  }
  const maybe = placed.filter((p) => p.where.usable === 'maybe');
  const first = (maybe[0] ?? placed[0])!;
  const verdict = maybe.length === 0 ? 'problem' : 'unknown';
  return [
    finding({
      id: CHECK,
      check: CHECK,
      verdict,
      title:
        verdict === 'problem'
          ? `The passkeys for this account live where ${osName(facts.platform)} cannot use them`
          : `Whether ${first.where.label} works on this computer depends on a setting`,
      explanation:
        verdict === 'problem'
          ? `${who(facts)}: ${placed
              .map((p) => p.where.why)
              .filter(unique)
              .join(
                ' ',
              )} This is why a passkey that works on one device does not work on this one: each ecosystem needs its own passkey, or a sign-in from a phone by QR code.`
          : `${first.where.why} If that is not set up, sign-in here fails although the passkey works elsewhere.`,
      evidence,
      fix: fixFor(placed, verdict === 'problem'),
      likelihood: verdict === 'problem' ? 0.85 : 0.6,
    }),
  ];
}

function place(facts: AccountFacts, row: ReconcileRow): Whereabouts {
  const server = row.server!;
  const guess = whereabouts(server, facts.platform);
  if (row.local !== null) {
    const store = facts.stores.find((s) => s.id === row.store);
    const ok = store === undefined || store.status === 'available';
    return {
      ...guess,
      label: storeLabel(facts, row.store),
      usable: ok ? 'yes' : 'maybe',
      why: ok
        ? 'It is on this computer.'
        : `${storeLabel(facts, row.store)} is ${store?.status ?? 'unavailable'}: ${store?.reason ?? ''}`,
    };
  }
  if (guess.ecosystem === 'vault') {
    // Made by Passkey Desk, yet not in this vault: in it, but the vault cannot be read now; or another computer's.
    const vault = facts.stores.find((s) => s.kind === 'vault');
    return vault !== undefined && vault.status !== 'available'
      ? {
          ...guess,
          usable: 'maybe',
          why: `The Passkey Desk vault cannot be read right now (${vault.status}); the passkey may be in it (see the vault finding).`,
        }
      : {
          ...guess,
          usable: 'no',
          why: 'It was made by Passkey Desk on another computer (this vault never held it): only that computer can use it.',
        };
  }
  const windowsHello = facts.stores.find((s) => s.id === 'windows-hello');
  if (guess.ecosystem === 'windows-hello' && windowsHello?.status === 'available' && windowsHello.complete) {
    return {
      ...guess,
      usable: 'no',
      why: "It is a Windows Hello passkey from another PC: this PC's Windows Hello does not hold it, and Windows Hello passkeys do not move between PCs.",
    };
  }
  if (guess.ecosystem === 'security-key') {
    const keys = facts.stores.filter((s) => s.kind === 'security-key' && s.status === 'available');
    return {
      ...guess,
      why:
        keys.length === 0
          ? 'It is on a security key, and no security key is plugged in.'
          : `It is on a security key, but not on the one plugged in (${keys.map((k) => k.label).join(', ')}).`,
    };
  }
  return guess;
}

function fixFor(placed: readonly Placed[], impossible: boolean): Fix {
  const eco = new Set(placed.map((p) => p.where.ecosystem));
  const steps: string[] = [];
  if (eco.has('security-key'))
    steps.push(
      'Plug in the security key that holds the passkey (or hold it to the NFC reader) and try again.',
    );
  if (eco.has('icloud'))
    steps.push(
      'On a Mac, check System Settings → [your name] → iCloud → Passwords (iCloud Keychain) is on. Elsewhere, choose "use a phone" and scan the QR code with the iPhone.',
    );
  if (eco.has('google'))
    steps.push(
      'In Chrome, sign in to the same Google account and turn on sync for passwords and passkeys (Settings → You and Google → Sync).',
    );
  if (eco.has('password-manager'))
    steps.push("Install and unlock the password manager's app or browser extension on this computer.");
  if (eco.has('windows-hello') || eco.has('phone'))
    steps.push(
      'Sign in from the device that holds the passkey, or choose "use a phone" and scan the QR code (Bluetooth on both devices).',
    );
  if (impossible || steps.length === 0)
    steps.push(
      'Add a passkey for this computer too: "I got a new device" in Passkey Desk creates one and registers it with the account.',
    );
  return {
    kind: 'steps',
    label: impossible
      ? 'Use the device that holds it, or add a passkey here'
      : 'Check the setting that lets this computer use it',
    steps,
  };
}

function usableWords(u: Usable): string {
  return u === 'yes' ? 'usable here' : u === 'no' ? 'not usable on this OS' : 'usable here only if set up';
}

function unique<T>(v: T, i: number, a: readonly T[]): boolean {
  return a.indexOf(v) === i;
}
