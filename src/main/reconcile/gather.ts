/**
 * The reconcile engine's inputs, read fresh: every store's passkeys (the inventory), each connected account's
 * server list, and the "deleted there" marks. A server that cannot be read does not fail the whole run: its
 * account is reported with the error and left out, so its passkeys show as unmanaged (and stay guarded).
 */
import type { ErrorInfo } from '../../shared/errors';
import { toErrorInfo } from '../../shared/errors';
import type { Inventory } from '../../shared/model';
import { withProviderName } from '../../shared/providers';
import type { ConnectedAccount, ReconcileInputs, ServerCredential } from '../../shared/reconcile';
import type { AccountsService } from '../accounts/accounts-service';
import type { AccountRecord } from '../accounts/types';
import { readInventory } from '../inventory';
import type { StoreRegistry } from '../inventory';
import type { DeletionMarks } from '../stores/guided';
import type { VaultStore } from '../stores/vault/vault-store';

export interface GatherDeps {
  registry: StoreRegistry;
  /** The vault's retired passkeys (trash, purged): what tells its orphans from another computer's passkeys. */
  vault: Pick<VaultStore, 'retired'>;
  accounts: AccountsService;
  marks: DeletionMarks;
  now: () => Date;
}

export interface AccountState {
  record: AccountRecord;
  ok: boolean;
  error: ErrorInfo | null;
  credentials: ServerCredential[];
}

export interface Gathered {
  inventory: Inventory;
  states: AccountState[];
  inputs: ReconcileInputs;
}

export function toConnected(s: AccountState): ConnectedAccount {
  const r = s.record;
  return {
    accountId: r.id,
    rpId: r.rpId,
    userHandle: r.userHandle,
    userName: r.userName,
    serverUrl: r.serverUrl,
    credentials: s.credentials,
  };
}

export async function gather(d: GatherDeps, accountId?: string): Promise<Gathered> {
  const records =
    accountId === undefined ? await d.accounts.records.list() : [await d.accounts.get(accountId)];
  const [inventory, marks, retired, states] = await Promise.all([
    readInventory(d.registry, withProviderName, d.now),
    d.marks.list(),
    // A vault that cannot be read is not complete in the inventory either, so no row rests on its retired IDs:
    // the rest of the reconcile goes on, as it does for any store that fails.
    d.vault.retired().catch(() => []),
    Promise.all(
      records.map(async (record): Promise<AccountState> => {
        try {
          return {
            record,
            ok: true,
            error: null,
            credentials: await d.accounts.connector(record).listCredentials(),
          };
        } catch (e) {
          return { record, ok: false, error: toErrorInfo(e), credentials: [] };
        }
      }),
    ),
  ]);
  const inputs: ReconcileInputs = {
    passkeys: inventory.passkeys,
    stores: inventory.stores,
    accounts: states.filter((s) => s.ok).map(toConnected),
    marks,
    retired,
  };
  return { inventory, states, inputs };
}
