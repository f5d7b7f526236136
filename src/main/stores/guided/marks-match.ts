/**
 * Pure: which server credentials the user's "I deleted it there" marks account for. Reconciliation calls a
 * server passkey "elsewhere" when its store cannot be read; a matching mark turns that into "the key is gone",
 * i.e. server-orphan, so the plan offers to revoke it on the server. No I/O here, so it can move to
 * src/shared next to the reconcile engine unchanged.
 */

export interface DeletionMark {
  id: string;
  /** A guided store id (`guided:apple`, …). */
  store: string;
  rpId: string;
  /** Canonical base64url, when the user picked one passkey; null marks every unlocated passkey of the account. */
  credentialId: string | null;
  userHandle: string | null;
  markedAt: string;
}

export interface ServerCredentialRef {
  credentialId: string;
  rpId: string;
  userHandle: string | null;
  /** When the server registered it; a passkey made after the mark cannot be the one deleted. */
  createdAt: string | null;
}

/**
 * Returns credential ID → the mark that accounts for it. Credentials found in a readable local store are never
 * matched: they demonstrably still exist. A mark with a credential ID matches only that credential; one without
 * matches the RP's (and user handle's, when given) unlocated credentials registered before the mark.
 * Linear in credentials + marks.
 */
export function matchDeletionMarks(
  serverCredentials: readonly ServerCredentialRef[],
  foundLocally: ReadonlySet<string>,
  marks: readonly DeletionMark[],
): Map<string, DeletionMark> {
  const byCredential = new Map<string, DeletionMark>();
  const byRp = new Map<string, DeletionMark[]>();
  for (const mark of marks) {
    if (mark.credentialId !== null) byCredential.set(mark.credentialId, mark);
    else byRp.set(mark.rpId, [...(byRp.get(mark.rpId) ?? []), mark]);
  }
  const result = new Map<string, DeletionMark>();
  for (const cred of serverCredentials) {
    if (foundLocally.has(cred.credentialId)) continue;
    const exact = byCredential.get(cred.credentialId);
    if (exact && exact.rpId === cred.rpId) {
      result.set(cred.credentialId, exact);
      continue;
    }
    const created = cred.createdAt === null ? null : Date.parse(cred.createdAt);
    const broad = (byRp.get(cred.rpId) ?? []).find(
      (m) =>
        (m.userHandle === null || m.userHandle === cred.userHandle) &&
        (created === null || Number.isNaN(created) || created <= Date.parse(m.markedAt)),
    );
    if (broad) result.set(cred.credentialId, broad);
  }
  return result;
}
