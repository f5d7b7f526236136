/**
 * The account's passkeys by reconcile status, told as the message a user sees: a local orphan is "This passkey can
 * no longer be used"; duplicates are "you already have a passkey"; a server that accepts nothing held here is
 * "I created a passkey but can't log in" (or it lives on another device); no passkey at all is the QR code that
 * leads nowhere. A passkey the server accepts that waits in the vault's trash comes first: restoring it is the fix.
 */
import { shortId } from '../model';
import type { TrashEntry } from '../model';
import type { ReconcileRow } from '../reconcile';
import { credentialKey } from '../reconcile';
import type { AccountFacts } from './account-facts';
import { accountRows, credentialEvidence, planFix, storeLabel, who } from './account-facts';
import { ecosystemOf } from './ecosystem';
import type { Finding, StepsFix } from './types';
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

  // Deleted here, still accepted there: restoring it from the trash is the whole fix while nothing else here signs
  // in. Such a passkey is neither "saved somewhere else" nor "a key that is gone" (revoking it would end it).
  const synced = rows.filter((r) => r.status === 'synced' && r.local !== null);
  const trashed = inTrash(facts, rows);
  if (trashed.length > 0) out.push(inTrashFinding(facts, trashed, synced.length === 0));
  const trashedKeys = new Set(trashed.map((t) => t.row.key));

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

  const serverOnly = rows.filter((r) => r.local === null && r.server !== null);
  if (accepted > 0 && synced.length === 0 && trashed.length === 0) {
    // Made by Passkey Desk while its vault cannot be read: they may well be in it, and the vault is what to fix.
    const vault = facts.stores.find((s) => s.kind === 'vault');
    const unreadVault =
      vault !== undefined && vault.status !== 'available'
        ? serverOnly.filter((r) => ecosystemOf(r.server!).ecosystem === 'vault').length
        : 0;
    out.push(
      finding({
        id: `${CHECK}:none-here`,
        check: CHECK,
        verdict: 'problem',
        title: 'None of the passkeys this account accepts is on this computer',
        explanation:
          `The server accepts ${accepted} passkey${accepted === 1 ? '' : 's'} for ${who(facts)}, but no store Passkey Desk can read here holds one. ` +
          (unreadVault > 0
            ? `The server says ${unreadVault === accepted ? (accepted === 1 ? 'it was' : 'they were') : `${unreadVault} of them were`} made by Passkey Desk, and the Passkey Desk vault cannot be read right now (${vault!.status}): fix the vault first (see its finding) — that may be all that is wrong.`
            : 'This is "I created a passkey but can\'t log in with it": it was saved somewhere else (another device, a phone, a password manager, another browser profile). ' +
              'Use the device that has it (a phone by QR code), or set up a new passkey here.'),
        evidence: [server, ...serverOnly.map((r) => credentialEvidence(facts, r))],
        fix: {
          kind: 'steps',
          label: 'Sign in from the device that holds it, or add one here',
          steps: [
            'Sign in on the device that created the passkey, or choose "use a phone" and scan the QR code with it.',
            'Then add a passkey for this computer: "I got a new device" in Passkey Desk.',
          ],
        },
        likelihood: unreadVault > 0 ? 0.6 : 0.85,
      }),
    );
  }

  const serverOrphans = rows.filter((r) => r.status === 'server-orphan' && !trashedKeys.has(r.key));
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

interface Trashed {
  row: ReconcileRow;
  entry: TrashEntry;
}

/** The account's server-only passkeys that the vault holds in its trash (same site, same credential). */
function inTrash(facts: AccountFacts, rows: readonly ReconcileRow[]): Trashed[] {
  const bin = new Map<string, TrashEntry>();
  for (const t of facts.trash)
    if (t.passkey.rpId === facts.account.rpId) bin.set(credentialKey(t.passkey.credentialId), t);
  const out: Trashed[] = [];
  for (const row of rows) {
    const entry = row.server !== null && row.local === null ? bin.get(row.credentialId) : undefined;
    if (entry) out.push({ row, entry });
  }
  return out;
}

function inTrashFinding(facts: AccountFacts, trashed: readonly Trashed[], nothingElseHere: boolean): Finding {
  const one = trashed.length === 1;
  const it = one ? 'it' : 'them';
  const commands = trashed.map((t) => `passkey-desk vault restore ${t.entry.passkey.credentialId}`);
  const fix: StepsFix = {
    kind: 'steps',
    label: one ? 'Restore it from the trash' : 'Restore them from the trash',
    steps: [
      ...trashed.map(
        (t) =>
          `In Passkey Desk, open Trash in the sidebar and press Restore next to "${trashName(t.entry)}" (${shortId(t.entry.passkey.credentialId)}).`,
      ),
      ...commands.map((c) => `Or on the command line: ${c}`),
      ...(nothingElseHere ? ['Then sign in again: the browser offers the passkey once more.'] : []),
    ],
    commands,
  };
  return finding({
    id: `${CHECK}:in-trash`,
    check: CHECK,
    verdict: 'problem',
    title: one
      ? `${nothingElseHere ? 'The' : 'A'} passkey this account accepts is in the Passkey Desk trash`
      : `${trashed.length} passkeys this account accepts are in the Passkey Desk trash`,
    explanation: nothingElseHere
      ? `The server still accepts ${one ? 'this passkey' : 'these passkeys'} for ${who(facts)}, but ${one ? 'it was' : 'they were'} deleted from the Passkey Desk vault and ${one ? 'waits' : 'wait'} in its trash, ` +
        `so the browser no longer offers ${it} and the site says "This passkey can no longer be used" (or offers no passkey at all). ` +
        `Restore ${it}: the same ${one ? 'key comes' : 'keys come'} back and the account accepts ${it} at once. Do not revoke ${it} on the server or purge ${it} from the trash — either ends ${it} for good.`
      : `The server still accepts ${one ? 'this passkey' : 'these passkeys'} for ${who(facts)}, which ${one ? 'waits' : 'wait'} in the Passkey Desk trash. Another passkey here still signs in, so this is not what stops you. ` +
        `If ${one ? 'it was' : 'they were'} deleted by mistake, restore ${it}; if on purpose, revoke ${it} on the server too (passkey-desk reconcile offers it), then purge ${it} from the trash.`,
    evidence: [
      { label: 'Server', value: facts.account.serverUrl },
      ...trashed.map((t) => ({
        label: `Passkey ${shortId(t.row.credentialId)}`,
        value: `in the Passkey Desk trash since ${t.entry.deletedAt.slice(0, 10)}; the server still accepts it`,
      })),
    ],
    fix,
    likelihood: nothingElseHere ? 0.98 : 0.5,
  });
}

/** The name the Trash screen shows for the passkey ("ana on example.com"). */
function trashName(entry: TrashEntry): string {
  const p = entry.passkey;
  return `${p.userName ?? p.userDisplayName ?? 'Unnamed account'} on ${p.rpId}`;
}
