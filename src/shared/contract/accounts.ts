import { z } from 'zod';
import type { ErrorInfo } from '../errors';
import type { Passkey } from '../model';
import type {
  AccountSummary,
  BlockedAction,
  ExecutableKind,
  Guard,
  PlanStep,
  ReconcileRow,
  ServerCredential,
  SkippedAction,
} from '../reconcile';
import { channel } from './channel';

/**
 * Connected accounts and reconciliation: the `accounts.*` and `reconcile.*` channels. Session tokens never
 * appear in any of these shapes; an account only says whether it is signed in.
 */

export type SignInMethod = 'vault' | 'browser';

export interface AccountView {
  id: string;
  /** The address the user gave (what Passkey Desk talks to). */
  serverUrl: string;
  rpId: string;
  /** The web origin the server's pages and WebAuthn ceremonies use (from its API description). */
  origin: string;
  rpName: string | null;
  userName: string;
  userDisplayName: string | null;
  /** base64url user.id on that server. */
  userHandle: string;
  /** From `/.well-known/passkey-endpoints`. */
  enroll: string | null;
  manage: string | null;
  connector: 'reference-server';
  addedAt: string;
  signedIn: boolean;
  sessionExpiresAt: string | null;
  signedInWith: SignInMethod | null;
}

export interface AccountRefresh {
  account: AccountView;
  /** How many passkeys the server lists for the account; null when it could not be asked. */
  credentials: number | null;
  error: ErrorInfo | null;
}

export interface AccountReconcile {
  accountId: string;
  serverUrl: string;
  rpId: string;
  userName: string;
  /** False when the server could not be read (then rows hold only this machine's passkeys for the RP, unmanaged). */
  ok: boolean;
  error: ErrorInfo | null;
  /** Distinct credentials the server accepts (what the last-passkey guard counts). */
  accepted: number | null;
  summary: AccountSummary;
  rows: ReconcileRow[];
}

export interface ReconcileReport {
  readAt: string;
  accounts: AccountReconcile[];
  /** Rows no connected account covers (unmanaged), only when no single account was asked for. */
  unassigned: ReconcileRow[];
}

export type PlanStatus = 'ready' | 'applying' | 'done' | 'partial' | 'abandoned';

export interface PlanView {
  /** Unique per created plan (the engine's content hash plus a creation stamp). */
  planId: string;
  /** The engine's hash of the steps: the same selection over the same state gives the same value. */
  contentId: string;
  accountId: string | null;
  createdAt: string;
  status: PlanStatus;
  steps: PlanStep[];
  blocked: BlockedAction[];
  skipped: SkippedAction[];
  /** The dry run: one line per step, then what is blocked or skipped. */
  description: string[];
  /**
   * Accounts left out because their server could not be read when the plan was made (a plan for all accounts
   * goes on with the others). Empty for a plan read back from its file.
   */
  notRead: { accountId: string; userName: string; serverUrl: string; error: ErrorInfo | null }[];
}

export type StepOutcome =
  'done' | 'already-done' | 'failed' | 'blocked' | 'skipped' | 'would-run' | 'not-run';

export interface StepResult {
  actionId: string;
  kind: ExecutableKind;
  outcome: StepOutcome;
  message: string;
  /** The journal entry of this step (null when it never began). */
  journalId: string | null;
  /** Set when a guard stopped the step at apply time. */
  guard: Guard | null;
  error: ErrorInfo | null;
}

export interface ApplyOutcome {
  planId: string;
  dryRun: boolean;
  status: PlanStatus;
  steps: StepResult[];
}

const accountIdSchema = z
  .string()
  .regex(/^[a-z0-9-]{1,64}$/, 'an account id as `passkey-desk accounts list` shows it');
const planIdSchema = z.string().regex(/^[a-z0-9.-]{1,80}$/, 'a plan id as `reconcile.plan` returned it');
/** One check, so a bad address gets one message ("not a URL" and "not http(s)" said the same thing twice). */
const serverUrlSchema = z
  .string()
  .max(2048)
  .refine((u) => {
    try {
      return ['http:', 'https:'].includes(new URL(u).protocol);
    } catch {
      return false;
    }
  }, 'a server address such as https://example.com');
const guardSchema = z.enum(['last-passkey', 'still-accepted']);
const actionIdSchema = z.string().min(1).max(2000);

export const selectionSchema = z.union([
  z.literal('all-safe'),
  z.literal('prune'),
  z
    .object({
      actionIds: z.array(actionIdSchema).max(100_000),
      overrides: z.array(z.object({ actionId: actionIdSchema, guard: guardSchema }).strict()).max(10_000),
    })
    .strict(),
]);

/** What the app and the CLI say when an account is removed while its server cannot be told (`sessionLeftOpen`). */
export const SESSION_LEFT_OPEN =
  "The server could not be reached to end the session, so it stays open there until it expires (its token is deleted from this computer). To end it sooner, sign out of other sessions in the site's account settings, where the site offers that.";

export const accountChannels = {
  /** Discovers the server, signs in (or signs up with a new vault passkey: `create`) and keeps the account. */
  'accounts.add': channel<AccountView>()(
    z
      .object({
        serverUrl: serverUrlSchema,
        method: z.enum(['vault', 'browser', 'create']),
        userName: z.string().trim().min(1).max(64).optional(),
        displayName: z.string().max(64).optional(),
      })
      .strict(),
  ),
  'accounts.list': channel<AccountView[]>()(z.object({}).strict()),
  /**
   * Signs out on the server when possible, forgets the session token and the account. `sessionLeftOpen`: there
   * was a session but the server could not be told (down, or it failed): it stays open there until it expires.
   */
  'accounts.remove': channel<{ accountId: string; signedOut: boolean; sessionLeftOpen: boolean }>()(
    z.object({ accountId: accountIdSchema }).strict(),
  ),
  'accounts.signIn': channel<AccountView>()(
    z.object({ accountId: accountIdSchema, method: z.enum(['vault', 'browser']) }).strict(),
  ),
  /** Stops the browser sign-in the app is waiting for: the waiting add or signIn fails with USER_CANCELLED. */
  'accounts.cancelBrowserSignIn': channel<{ cancelled: boolean }>()(z.object({}).strict()),
  /** Signs out (the token is forgotten either way); `sessionLeftOpen` as for `accounts.remove`. */
  'accounts.signOut': channel<AccountView & { sessionLeftOpen: boolean }>()(
    z.object({ accountId: accountIdSchema }).strict(),
  ),
  /** Re-reads each account's user details and passkey count; errors per account, never for all. */
  'accounts.refresh': channel<AccountRefresh[]>()(
    z.object({ accountId: accountIdSchema.optional() }).strict(),
  ),
  /** Creates a vault passkey and registers it with the signed-in account (the server's add-passkey flow). */
  'accounts.addVaultPasskey': channel<{ passkey: Passkey; server: ServerCredential }>()(
    z.object({ accountId: accountIdSchema, name: z.string().trim().min(1).max(64).optional() }).strict(),
  ),
  'reconcile.run': channel<ReconcileReport>()(z.object({ accountId: accountIdSchema.optional() }).strict()),
  /** Builds a plan from a fresh reconcile and keeps it (plans/<id>.json) so that applying it can resume after a crash. */
  'reconcile.plan': channel<PlanView>()(
    z
      .object({
        accountId: accountIdSchema.optional(),
        /** 'prune': every safe delete and revoke (no renames or marks); 'all-safe': every safe action; or exact ids. */
        selection: selectionSchema,
        /** Per-action guard overrides; with 'prune' or 'all-safe' the overridden actions join the selection. */
        overrides: z
          .array(z.object({ actionId: actionIdSchema, guard: guardSchema }).strict())
          .max(10_000)
          .optional(),
      })
      .strict(),
  ),
  /** Runs a plan (confirm: true), or only checks it against fresh state (dryRun: true). */
  'reconcile.apply': channel<ApplyOutcome>()(
    z
      .object({ planId: planIdSchema, confirm: z.boolean().optional(), dryRun: z.boolean().optional() })
      .strict(),
  ),
  /** Plans a crash or a closed app left half-applied. */
  'reconcile.pending': channel<PlanView[]>()(z.object({}).strict()),
  'reconcile.resume': channel<ApplyOutcome>()(
    z.object({ planId: planIdSchema, confirm: z.boolean().optional() }).strict(),
  ),
  /** Runs again the failed or skipped steps of a plan that did not fully succeed (status `partial`). */
  'reconcile.retry': channel<ApplyOutcome>()(
    z.object({ planId: planIdSchema, confirm: z.boolean().optional() }).strict(),
  ),
  'reconcile.abandon': channel<ApplyOutcome>()(z.object({ planId: planIdSchema }).strict()),
} as const;
