/**
 * The data reconciliation reads and writes. Plain, JSON-safe shapes (no Map, no class) so that a result crosses
 * IPC and `--json` output unchanged.
 */
import type { Passkey, StoreInfo, StoreKind } from '../model';

/** One credential as the relying party lists it for an account (the server's side of the diff). */
export interface ServerCredential {
  /** base64url as the server sends it; standard base64 is tolerated and normalised. */
  credentialId: string;
  /** The label the user gave it on the server, if any. */
  name: string | null;
  createdAt: string | null;
  lastUsedAt: string | null;
  aaguid: string | null;
  /** What the server believes made it ("iCloud Keychain"), often derived from the AAGUID. */
  providerName: string | null;
  transports: string[];
  backupEligible: boolean | null;
  backedUp: boolean | null;
  deviceType: 'singleDevice' | 'multiDevice' | null;
}

/** An account the user connected: its RP, the user's handle there and what the server accepts. */
export interface ConnectedAccount {
  accountId: string;
  rpId: string;
  /** base64url of the server's user.id. */
  userHandle: string;
  userName: string;
  serverUrl: string;
  credentials: ServerCredential[];
}

/**
 * "I deleted it there": a user's record that a passkey in a store Passkey Desk cannot read (iCloud, a phone) is
 * gone. Without it such a server credential is only `elsewhere`; with it, it is a `server-orphan` to revoke.
 * With `credentialId` null the mark covers every credential of that RP (and user, when given) whose likely
 * store is `store` and that was created before `markedAt`.
 */
export interface DeletionMark {
  rpId: string;
  credentialId: string | null;
  userHandle: string | null;
  store: string;
  markedAt: string;
}

/**
 * A credential the vault once held and holds no longer (in its trash, or purged: the vault keeps the IDs of
 * purged passkeys, never their keys). Passkey Desk's AAGUID is the same on every computer, so a server
 * credential with it is a `server-orphan` by the vault's say only when this vault held it; one the vault never
 * held lives in Passkey Desk on another computer, and is `elsewhere`. Entries naming another store are ignored.
 */
export interface RetiredCredential {
  store: string;
  rpId: string;
  credentialId: string;
  /** Still in the vault's trash (restorable), not purged: its row says to restore it first. */
  inTrash?: boolean;
}

export interface ReconcileInputs {
  passkeys: readonly Passkey[];
  stores: readonly StoreInfo[];
  accounts: readonly ConnectedAccount[];
  marks: readonly DeletionMark[];
  retired: readonly RetiredCredential[];
}

export const RECONCILE_STATUSES = [
  'synced',
  'local-orphan',
  'server-orphan',
  'elsewhere',
  'duplicate',
  'unmanaged',
] as const;
export type ReconcileStatus = (typeof RECONCILE_STATUSES)[number];

/** What the app can do itself (a plan step) versus what a user does by hand (shown, never planned). */
export const EXECUTABLE_KINDS = ['delete-local', 'revoke-server', 'rename-server', 'mark-deleted'] as const;
export type ExecutableKind = (typeof EXECUTABLE_KINDS)[number];
export type ManualKind = 'open-store' | 'connect-account';
export type ActionKind = ExecutableKind | ManualKind;

/** The two ways an action could lock a user out; each is lifted only by an explicit per-action override. */
export type Guard = 'last-passkey' | 'still-accepted';

export interface ActionTarget {
  /** The store to delete from or to open; null for server-only actions. */
  store: string | null;
  /** Canonical base64url (or the raw string when it was not valid base64). */
  credentialId: string;
  accountId: string | null;
  rpId: string;
  /** For `rename-server`: the new name. Null otherwise. */
  newName: string | null;
}

export interface ProposedAction {
  /** Deterministic: `<kind>:<account or store>:<credential id>`, the same across runs and input orders. */
  id: string;
  kind: ActionKind;
  target: ActionTarget;
  /** One sentence: what happens when this runs. */
  effect: string;
  /** Vault deletions go to the trash; servers, Windows Hello and security keys cannot be undone. */
  undoable: boolean;
  /**
   * True when "fix everything safe" may pick it: no guard applies and it does not rest on a fact only the user
   * knows (a `mark-deleted` says "I deleted it there", so it is never safe by default).
   */
  safe: boolean;
  guard: Guard | null;
}

export interface ReconcileRow {
  /**
   * Unique within a result and stable across runs and input orders: the canonical credential ID alone when no
   * other row of the result has that ID (nearly always), else `local:<store>:<credential id>` (with `#2`, `#3`…
   * for a store listing one ID twice) or `server:<account id>:<credential id>`. Opaque to callers.
   */
  key: string;
  accountId: string | null;
  rpId: string;
  userHandle: string | null;
  userName: string | null;
  /** Canonical base64url (the matching key). */
  credentialId: string;
  store: string | null;
  storeKind: StoreKind | null;
  status: ReconcileStatus;
  /** Short, in the user's words. */
  title: string;
  /** Plain words, quoting the message users see where there is one. */
  explanation: string;
  /** Frozen when empty (shared by every row without actions). */
  actions: readonly ProposedAction[];
  local: Passkey | null;
  /** The server credential this row stands for (null when the server does not accept it or no account). */
  server: ServerCredential | null;
}

export interface ReconcileResult {
  rows: ReconcileRow[];
  /** How many distinct credentials each connected account's server accepts: what the last-passkey guard counts. */
  accepted: { accountId: string; count: number }[];
}

export interface PlanSelection {
  actionIds: string[];
  overrides: { actionId: string; guard: Guard }[];
}

export interface PlanStep {
  actionId: string;
  kind: ExecutableKind;
  rowKey: string;
  target: ActionTarget;
  effect: string;
  undoable: boolean;
  /** The guard this step passes only because the user overrode it for this action. */
  overridden: Guard | null;
  /** Steps that must succeed first (a local delete waits for the revoke that makes it safe). */
  dependsOn: string[];
  /**
   * What the step rests on that can stop being true before it runs (a retry days later, a resume): a server
   * orphan's revoke rests on the store it was in no longer holding it (`goneFrom`: a store read here), or on the
   * user's mark that they deleted it there (a store that cannot be read). Null for every other step. Plans saved
   * before this field existed lack it: read as null.
   */
  premise: { goneFrom: string } | null;
}

export interface BlockedAction {
  actionId: string;
  guard: Guard;
  reason: string;
}

export interface SkippedAction {
  actionId: string;
  reason: string;
}

export interface Plan {
  /** A hash of the steps: the same selection over the same inventory always gives the same id. */
  id: string;
  steps: PlanStep[];
  blocked: BlockedAction[];
  /** Selected ids that are unknown or done by hand; they are reported, never run. */
  skipped: SkippedAction[];
}

export interface AccountSummary {
  /** Null for rows no connected account covers. */
  accountId: string | null;
  counts: Record<ReconcileStatus, number>;
  total: number;
  /** Rows with at least one safe action. */
  fixable: number;
}
