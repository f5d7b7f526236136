/**
 * The accounts feature: builds the accounts service and the reconciler over the shared core pieces, and the
 * handlers behind the `accounts.*` channels (the `reconcile.*` ones are in reconcile.ts). No handler result ever
 * carries a session token.
 */
import type { Handlers, ProgressEvent } from '../../shared/contract';
import type { Passkey } from '../../shared/model';
import { AccountsService } from '../accounts/accounts-service';
import { openSystemBrowser } from '../accounts/system-browser';
import type { StoreRegistry } from '../inventory';
import type { Journal } from '../journal';
import type { SecretStore } from '../keyring';
import { Reconciler } from '../reconcile/reconciler';
import type { DeletionMarks } from '../stores/guided';
import type { VaultStore } from '../stores/vault/vault-store';
import { reconcileHandlers } from './reconcile';
import type { ReconcileHandlers } from './reconcile';

export type AccountHandlers = Pick<
  Handlers,
  | 'accounts.add'
  | 'accounts.list'
  | 'accounts.remove'
  | 'accounts.signIn'
  | 'accounts.cancelBrowserSignIn'
  | 'accounts.signOut'
  | 'accounts.refresh'
  | 'accounts.addVaultPasskey'
>;

export interface AccountFeatureDeps {
  dataDir: string;
  secrets: SecretStore;
  vault: VaultStore;
  journal: Journal;
  registry: StoreRegistry;
  marks: DeletionMarks;
  now: () => Date;
  platform: NodeJS.Platform;
  deletePasskey(
    storeId: string,
    credentialId: string,
    planId: string | null,
  ): Promise<{ passkey: Passkey; journalId: string }>;
  /** The system browser for the desktop login. Without one: xdg-open/open/start, and the URL as a progress message. */
  openBrowser?: (url: string) => Promise<void>;
  onProgress?: (e: ProgressEvent) => void;
}

export interface AccountFeatures {
  accounts: AccountsService;
  reconciler: Reconciler;
  handlers: AccountHandlers & ReconcileHandlers;
}

export function accountHandlers(accounts: AccountsService): AccountHandlers {
  return {
    'accounts.add': async (req) =>
      accounts.add({
        serverUrl: req.serverUrl,
        method: req.method,
        ...(req.userName === undefined ? {} : { userName: req.userName }),
        ...(req.displayName === undefined ? {} : { displayName: req.displayName }),
      }),
    'accounts.list': async () => accounts.list(),
    'accounts.remove': async (req) => accounts.remove(req.accountId),
    'accounts.signIn': async (req) => accounts.signIn(req.accountId, req.method),
    'accounts.cancelBrowserSignIn': async () => accounts.cancelBrowserSignIn(),
    'accounts.signOut': async (req) => accounts.signOut(req.accountId),
    'accounts.refresh': async (req) => accounts.refresh(req.accountId),
    'accounts.addVaultPasskey': async (req) => accounts.addVaultPasskey(req.accountId, req.name),
  };
}

export function createAccountFeatures(d: AccountFeatureDeps): AccountFeatures {
  let reconciler: Reconciler | null = null;
  const progress = (e: ProgressEvent) => reconciler?.emit(e);
  const openBrowser =
    d.openBrowser ??
    (async (url: string) => {
      progress({
        operation: 'accounts.signIn',
        // Only shells without a browser of their own get here: the CLI, where Ctrl-C ends the wait.
        message: `Sign in in your browser. If it did not open, open this address: ${url} (Ctrl-C stops waiting.)`,
        done: 0,
        total: 1,
      });
      await openSystemBrowser(url, d.platform);
    });
  const accounts = new AccountsService({
    dataDir: d.dataDir,
    secrets: d.secrets,
    vault: d.vault,
    now: d.now,
    openBrowser,
    discardVaultPasskey: (credentialId) => d.deletePasskey('vault', credentialId, null),
  });
  reconciler = new Reconciler({ ...d, accounts, ...(d.onProgress ? { onProgress: d.onProgress } : {}) });
  return {
    accounts,
    reconciler,
    handlers: { ...accountHandlers(accounts), ...reconcileHandlers(reconciler) },
  };
}
