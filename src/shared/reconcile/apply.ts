/**
 * What the inputs look like after a plan ran to the end without a failure. Pure: the real applier (main) talks to
 * stores and servers and journals each step; this model lets tests prove that reconciling again finds nothing
 * left to fix for what the plan fixed (idempotence), and lets the UI preview the result.
 */
import { credentialKey, rpKey } from './credentialKey';
import { SEP } from './indexes';
import type { DeletionMark, Plan, ReconcileInputs, RetiredCredential } from './types';
import { missingCase } from '../errors';

/** `now` stamps the marks the plan records (ISO 8601); injected so the function stays pure. */
export function applyPlanToInputs(
  inputs: ReconcileInputs,
  plan: Plan,
  now = '1970-01-01T00:00:00.000Z',
): ReconcileInputs {
  const deletes = new Set<string>();
  const revokes = new Set<string>();
  const renames = new Map<string, string>();
  const marks: DeletionMark[] = [];
  // A passkey deleted from a store is retired there (the vault keeps it in its trash).
  const retired: RetiredCredential[] = [];
  const handles = new Map(inputs.accounts.map((a) => [a.accountId, a.userHandle]));
  for (const s of plan.steps) {
    const t = s.target;
    switch (s.kind) {
      case 'delete-local':
        deletes.add((t.store ?? '') + SEP + rpKey(t.rpId) + SEP + t.credentialId);
        // Deleted to the trash (the vault's deletions are; the engine reads retired IDs for the vault only).
        if (t.store !== null)
          retired.push({ store: t.store, rpId: t.rpId, credentialId: t.credentialId, inTrash: true });
        break;
      case 'revoke-server':
        revokes.add((t.accountId ?? '') + SEP + t.credentialId);
        break;
      case 'rename-server':
        if (t.newName !== null) renames.set((t.accountId ?? '') + SEP + t.credentialId, t.newName);
        break;
      case 'mark-deleted':
        marks.push({
          rpId: t.rpId,
          credentialId: t.credentialId,
          userHandle: t.accountId === null ? null : (handles.get(t.accountId) ?? null),
          store: t.store ?? 'guided:other',
          markedAt: now,
        });
        break;
      default:
        return missingCase(s.kind);
    }
  }
  // A store deletes by credential ID, so every copy it listed under that ID goes.
  const passkeys = inputs.passkeys.filter(
    (p) => !deletes.has(p.store + SEP + rpKey(p.rpId) + SEP + credentialKey(p.credentialId)),
  );
  const accounts = inputs.accounts.map((a) => {
    if (revokes.size === 0 && renames.size === 0) return a;
    const credentials = [];
    for (const c of a.credentials) {
      const k = a.accountId + SEP + credentialKey(c.credentialId);
      if (revokes.has(k)) continue;
      const name = renames.get(k);
      credentials.push(name === undefined ? c : { ...c, name });
    }
    return { ...a, credentials };
  });
  return {
    ...inputs,
    passkeys,
    accounts,
    marks: [...inputs.marks, ...marks],
    retired: [...inputs.retired, ...retired],
  };
}
