/**
 * The troubleshooter: picks up the account (when one is picked), reconciles it against this machine's inventory,
 * runs every check, ranks the findings for the message the user saw and renders the support report.
 * It only reads: every fix it offers is a plan the user confirms through reconcile, or steps, or a link.
 */
import type { AccountRef, Check, DoctorContext, DoctorRun, MessageKey } from '../../shared/doctor';
import { rankFindings, renderReport, topFinding } from '../../shared/doctor';
import { toErrorInfo } from '../../shared/errors';
import type { ErrorInfo } from '../../shared/errors';
import type { Inventory, TrashEntry } from '../../shared/model';
import type { ConnectedAccount, DeletionMark, RetiredCredential } from '../../shared/reconcile';
import { reconcile } from '../../shared/reconcile';
import { runChecks } from './run-checks';

/**
 * What the troubleshooter needs from the accounts module (src/main/accounts): the account, and its server's
 * current list. `connected` throws PasskeyDeskError (SERVER_UNREACHABLE, SESSION_EXPIRED, …) when it cannot.
 */
export interface DoctorAccounts {
  get(accountId: string): Promise<AccountRef | null>;
  connected(accountId: string): Promise<ConnectedAccount>;
}

export interface DoctorDeps {
  platform: NodeJS.Platform;
  checks: readonly Check<DoctorContext>[];
  inventory(): Promise<Inventory>;
  marks(): Promise<DeletionMark[]>;
  /** The vault's retired passkeys (see RetiredCredential). */
  retired(): Promise<RetiredCredential[]>;
  /** The vault's trash: a passkey the server accepts that waits there is restored, not replaced or revoked. */
  trash(): Promise<TrashEntry[]>;
  accounts: DoctorAccounts | null;
  /** "Linux 6.1 (x64)" */
  system(): string;
  appVersion: string;
  now?: () => Date;
  checkTimeoutMs?: number;
}

export interface DoctorRequest {
  accountId?: string;
  message?: MessageKey;
}

export class Doctor {
  constructor(private readonly deps: DoctorDeps) {}

  async run(req: DoctorRequest): Promise<DoctorRun> {
    const message = req.message ?? null;
    const { ref, ctx } = await this.context(req.accountId ?? null, message);
    const findings = rankFindings(await runChecks(this.deps.checks, ctx, this.deps.checkTimeoutMs), message);
    const at = (this.deps.now ?? (() => new Date()))().toISOString();
    const system = this.deps.system();
    const report = renderReport(findings, {
      at,
      appVersion: this.deps.appVersion,
      system,
      message,
      account: ref ? `${ref.userName} on ${ref.rpId}` : null,
    });
    return {
      message,
      account: ref,
      system,
      at,
      findings,
      top: topFinding(findings),
      checked: this.deps.checks.map((c) => ({ id: c.id, title: c.title })),
      report,
    };
  }

  private async context(
    accountId: string | null,
    message: MessageKey | null,
  ): Promise<{ ref: AccountRef | null; ctx: DoctorContext }> {
    const base: DoctorContext = {
      platform: this.deps.platform,
      message,
      account: null,
      accountError: null,
      serverUrl: null,
    };
    if (accountId === null) return { ref: null, ctx: base };
    const accounts = this.deps.accounts;
    if (!accounts)
      return {
        ref: null,
        ctx: {
          ...base,
          accountError: { code: 'UNSUPPORTED', message: 'Accounts are not available in this build.' },
        },
      };
    const ref = await accounts.get(accountId);
    if (!ref)
      return {
        ref: null,
        ctx: {
          ...base,
          accountError: { code: 'NOT_FOUND', message: `No connected account "${accountId}".` },
        },
      };
    const ctx: DoctorContext = { ...base, serverUrl: ref.serverUrl };
    let connected: ConnectedAccount;
    let inventory: Inventory;
    let marks: DeletionMark[];
    let retired: RetiredCredential[];
    let trash: TrashEntry[];
    try {
      [connected, inventory, marks, retired, trash] = await Promise.all([
        accounts.connected(accountId),
        this.deps.inventory(),
        this.deps.marks(),
        // A vault that cannot be read is the vault-file check's finding; the account is still compared with the
        // stores that can be read (the vault then counts as incomplete, so none of its passkeys is called gone).
        this.deps.retired().catch(() => []),
        this.deps.trash().catch(() => []),
      ]);
    } catch (e) {
      const accountError: ErrorInfo = toErrorInfo(e);
      return { ref, ctx: { ...ctx, accountError } };
    }
    const result = reconcile({
      passkeys: inventory.passkeys,
      stores: inventory.stores,
      accounts: [connected],
      marks,
      retired,
    });
    return {
      ref,
      ctx: {
        ...ctx,
        account: {
          account: connected,
          result,
          stores: inventory.stores,
          platform: this.deps.platform,
          trash,
        },
      },
    };
  }
}
