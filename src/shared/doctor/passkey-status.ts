/**
 * The account's passkeys by reconcile status, told as the message a user sees: a local orphan is "This passkey can
 * no longer be used"; duplicates are "you already have a passkey"; a server that accepts nothing held here is
 * "I created a passkey but can't log in" (or it lives on another device); no passkey at all is the QR code that
 * leads nowhere.
 */
import type { AccountFacts } from './account-facts';
import { accountRows, credentialEvidence, planFix, storeLabel, who } from './account-facts';
import type { Finding } from './types';
import { finding } from './types';

const CHECK = 'passkey-status' as const;

export function passkeyStatusFindings(facts: AccountFacts): Finding[] {
  const rows = accountRows(facts);
  const out: Finding[] = [];
  const accepted = facts.account.credentials.length;
  const acceptedEvidence = { label: 'Passkeys the server accepts', value: String(accepted) };
  const server = { label: 'Server', value: facts.account.serverUrl };

  // A second copy the server no longer accepts is a duplicate to the engine, but to the user it is the same stale
  // passkey: the browser offers it and the site refuses it.
  const stale = (r: (typeof rows)[number]) =>
    r.local !== null && r.server === null && (r.status === 'local-orphan' || r.status === 'duplicate');
  const orphans = rows.filter(stale);

  if (accepted === 0) {
    // With a stale passkey still here, "no device holds one" would contradict the next finding.
    const staleHere =
      orphans.length === 0
        ? ''
        : ` (the ${orphans.length === 1 ? 'one' : `${orphans.length}`} still on this computer ${orphans.length === 1 ? 'was' : 'were'} removed from it: see below)`;
    out.push(
      finding({
        id: `${CHECK}:none-registered`,
        check: CHECK,
        verdict: 'problem',
        title: 'No passkey is registered for this account',
        explanation:
          orphans.length === 0
            ? `${who(facts)} has no passkey at all. Pressing "sign in with a passkey" then makes the browser offer a QR code for a phone — ` +
              'it leads nowhere, because no device holds a passkey for this account. Sign in another way (password, email code), then create a passkey.'
            : `The server accepts no passkey for ${who(facts)} any more${staleHere}. Until a new one is created, no passkey can sign in to this account: ` +
              'sign in another way (password, email code), then create a passkey.',
        evidence: [server, acceptedEvidence],
        fix: {
          kind: 'steps',
          label: 'Create the first passkey',
          steps: [
            'Sign in to the site another way (password or a code sent to you).',
            'Open its security settings and add a passkey — or use "I got a new device" in Passkey Desk.',
          ],
        },
        likelihood: 0.95,
      }),
    );
  }

  if (orphans.length > 0) {
    const fix = planFix(
      facts,
      orphans,
      'Delete the passkeys the server no longer accepts from this computer',
    );
    out.push(
      finding({
        id: `${CHECK}:local-orphan`,
        check: CHECK,
        verdict: 'problem',
        title:
          orphans.length === 1
            ? 'A passkey here was removed from the account'
            : `${orphans.length} passkeys here were removed from the account`,
        explanation:
          `The server no longer accepts ${orphans.length === 1 ? 'this passkey' : 'these passkeys'}, but ${orphans.length === 1 ? 'it is' : 'they are'} still on this computer, so the browser keeps offering ${orphans.length === 1 ? 'it' : 'them'} and the site answers ` +
          '"This passkey can no longer be used" (or "passkey not found", "no longer valid"). Delete it here and sign in with a passkey the account still accepts, or create a new one.',
        evidence: [server, acceptedEvidence, ...orphans.map((r) => credentialEvidence(facts, r))],
        fix:
          fix ??
          manualOpen(
            facts,
            orphans.map((r) => r.store),
          ),
        likelihood: 0.95,
      }),
    );
  }

  const duplicates = rows.filter((r) => r.status === 'duplicate' && !stale(r));
  if (duplicates.length > 0) {
    const stores = [...new Set(duplicates.map((r) => storeLabel(facts, r.store)))];
    out.push(
      finding({
        id: `${CHECK}:duplicate`,
        check: CHECK,
        verdict: 'problem',
        title: `More than one passkey for this account in ${stores.join(', ')}`,
        explanation:
          `${stores.join(', ')} already ${stores.length === 1 ? 'holds' : 'hold'} a passkey for ${who(facts)}, which is why adding another says "you already have a passkey". ` +
          'Use the existing one; the extra copies can go.',
        evidence: duplicates.map((r) => credentialEvidence(facts, r)),
        fix:
          planFix(facts, duplicates, 'Keep one passkey, remove the extra copies') ??
          manualOpen(
            facts,
            duplicates.map((r) => r.store),
          ),
        likelihood: 0.9,
      }),
    );
  }

  const synced = rows.filter((r) => r.status === 'synced' && r.local !== null);
  const serverOnly = rows.filter((r) => r.local === null && r.server !== null);
  if (accepted > 0 && synced.length === 0) {
    out.push(
      finding({
        id: `${CHECK}:none-here`,
        check: CHECK,
        verdict: 'problem',
        title: 'None of the passkeys this account accepts is on this computer',
        explanation:
          `The server accepts ${accepted} passkey${accepted === 1 ? '' : 's'} for ${who(facts)}, but no store Passkey Desk can read here holds one. ` +
          'This is "I created a passkey but can\'t log in with it": it was saved somewhere else (another device, a phone, a password manager, another browser profile). ' +
          'Use the device that has it (a phone by QR code), or set up a new passkey here.',
        evidence: [server, ...serverOnly.map((r) => credentialEvidence(facts, r))],
        fix: {
          kind: 'steps',
          label: 'Sign in from the device that holds it, or add one here',
          steps: [
            'Sign in on the device that created the passkey, or choose "use a phone" and scan the QR code with it.',
            'Then add a passkey for this computer: "I got a new device" in Passkey Desk.',
          ],
        },
        likelihood: 0.85,
      }),
    );
  }

  const serverOrphans = rows.filter((r) => r.status === 'server-orphan');
  if (serverOrphans.length > 0) {
    out.push(
      finding({
        id: `${CHECK}:server-orphan`,
        check: CHECK,
        verdict: 'problem',
        title: `The server still lists ${serverOrphans.length === 1 ? 'a passkey' : `${serverOrphans.length} passkeys`} whose key is gone`,
        explanation:
          'The store that held it no longer does, so nobody can sign in with it; it only clutters the account and can make the browser offer a passkey that fails. Revoke it on the server.',
        evidence: serverOrphans.map((r) => credentialEvidence(facts, r)),
        fix: planFix(facts, serverOrphans, 'Revoke the dead passkeys on the server'),
        likelihood: 0.5,
      }),
    );
  }

  if (out.length === 0) {
    out.push(
      finding({
        id: CHECK,
        check: CHECK,
        verdict: 'ok',
        title: 'A passkey on this computer is accepted by the server',
        explanation: `${synced.length === 1 ? 'One passkey' : `${synced.length} passkeys`} here ${synced.length === 1 ? 'matches' : 'match'} what the server accepts for ${who(facts)}; nothing is stale or duplicated.`,
        evidence: [server, acceptedEvidence, ...synced.map((r) => credentialEvidence(facts, r))],
        likelihood: 0.9,
      }),
    );
  }
  return out;
}

function manualOpen(facts: AccountFacts, storeIds: readonly (string | null)[]): Finding['fix'] {
  const store = facts.stores.find((s) => storeIds.includes(s.id) && s.manage);
  if (!store?.manage) return null;
  return store.manage.link
    ? {
        kind: 'link',
        label: `Delete it in ${store.label}`,
        url: store.manage.link,
        steps: store.manage.steps,
      }
    : { kind: 'steps', label: `Delete it in ${store.label}`, steps: store.manage.steps };
}
