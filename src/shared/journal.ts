/** What the journal records about one destructive step. Snapshots hold metadata only, never key material. */
export interface JournalStepInput {
  /** e.g. `vault.delete`, `vault.purge`, `store.delete`, `server.revoke`, `guided.mark-deleted`. */
  action: string;
  /** Human sentence of the effect, as shown in the confirmation. */
  effect: string;
  store: string | null;
  credentialId: string | null;
  accountId: string | null;
  /** Metadata of what the step destroys or changes, so the user can see (and where possible undo) it. */
  snapshot: Record<string, unknown> | null;
  /** Whether Passkey Desk can undo this step (vault trash) and how. */
  undo: { kind: 'vault-restore'; credentialId: string } | null;
  /** The plan this step belongs to, when it is part of one. */
  planId: string | null;
}

export interface JournalEntry extends JournalStepInput {
  id: string;
  startedAt: string;
  endedAt: string | null;
  outcome: 'pending' | 'done' | 'failed';
  error: { code: string; message: string } | null;
  undoneBy: string | null;
}
