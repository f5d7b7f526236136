/**
 * "I got a new device": set up a new passkey first, then remove the old ones. Creates a vault passkey and registers
 * it with the account, proves it signs in (a sign-in restricted to that one credential), and only then turns the
 * passkeys the user marks as belonging to old devices into a reconcile plan — which the user confirms and
 * `reconcile.apply` runs, with its journal and guards. Nothing is revoked here.
 */
import { z } from 'zod';
import type { NewDeviceAdded, NewDeviceRetire, OldPasskey } from '../../shared/contract/doctor';
import { ecosystemOf } from '../../shared/doctor';
import { PasskeyDeskError } from '../../shared/errors';
import type { Inventory } from '../../shared/model';
import { shortId } from '../../shared/model';
import type { ReconcileRow } from '../../shared/reconcile';
import { PASSKEY_DESK_AAGUID, credentialKey, reconcile } from '../../shared/reconcile';
import type { AccountsService } from '../accounts/accounts-service';
import { requestJson } from '../accounts/http';
import type { AccountRecord } from '../accounts/types';
import type { Journal } from '../journal';
import type { Reconciler } from '../reconcile/reconciler';
import type { DeletionMarks } from '../stores/guided';
import { guidedCardForAaguid, isGuidedStoreId } from '../stores/guided';
import type { VaultStore } from '../stores/vault/vault-store';

export interface NewDeviceDeps {
  accounts: Pick<AccountsService, 'get' | 'connector' | 'addVaultPasskey'>;
  reconciler: Pick<Reconciler, 'plan'>;
  vault: Pick<VaultStore, 'sign' | 'retired'>;
  marks: DeletionMarks;
  journal: Journal;
  inventory(): Promise<Inventory>;
}

const requestOptions = z.object({ challenge: z.string() });
const signedIn = z.object({ token: z.string(), credentialId: z.string() });

export class NewDeviceFlow {
  constructor(private readonly d: NewDeviceDeps) {}

  async add(accountId: string, store: 'vault' | 'windows-hello'): Promise<NewDeviceAdded> {
    if (store === 'windows-hello') {
      throw new PasskeyDeskError(
        'UNSUPPORTED',
        'Creating a Windows Hello passkey for an account is not available yet; create the new passkey in the Passkey Desk vault.',
      );
    }
    const record = await this.d.accounts.get(accountId);
    const { passkey } = await this.d.accounts.addVaultPasskey(accountId, 'Passkey Desk vault (new device)');
    await this.confirmSignIn(record, passkey.credentialId);
    return {
      passkey,
      confirmed: true,
      others: (await this.candidates(accountId)).filter(
        (o) => credentialKey(o.credentialId) !== credentialKey(passkey.credentialId),
      ),
    };
  }

  /** The account's other passkeys, for the user to mark the ones that belonged to old devices. */
  async candidates(accountId: string): Promise<OldPasskey[]> {
    const rows = await this.rows(accountId);
    return rows
      .filter((r) => r.server !== null)
      .map((r) => ({
        credentialId: r.credentialId,
        shortId: shortId(r.credentialId),
        name: r.server?.name ?? null,
        madeBy: ecosystemOf(r.server!).label,
        createdAt: r.server?.createdAt ?? null,
        lastUsedAt: r.server?.lastUsedAt ?? null,
        onThisComputer: r.local !== null,
      }));
  }

  /**
   * Marks the chosen passkeys as deleted on their old devices (journaled, undoable) and returns the plan that
   * revokes them — after checking that a passkey on this computer still signs in to the account.
   */
  async retire(accountId: string, credentialIds: readonly string[]): Promise<NewDeviceRetire> {
    const chosen = new Set(credentialIds.map(credentialKey));
    const rows = await this.rows(accountId);
    const working = rows.filter((r) => r.local !== null && r.server !== null && !chosen.has(r.credentialId));
    if (working.length === 0) {
      throw new PasskeyDeskError(
        'LAST_PASSKEY',
        'Set up the new passkey first: no passkey on this computer that you keep is accepted by the account, so removing the old ones could lock you out.',
      );
    }
    const skipped: NewDeviceRetire['skipped'] = [];
    const marked: string[] = [];
    for (const key of chosen) {
      const row = rows.find((r) => r.credentialId === key && r.server !== null);
      if (!row) skipped.push({ credentialId: key, reason: 'the account does not list this passkey' });
      else if (row.local !== null && row.status === 'synced')
        skipped.push({ credentialId: key, reason: 'it is on this computer, not on an old device' });
      else if (!row.actions.some((a) => a.kind === 'revoke-server')) {
        await this.mark(row);
        marked.push(key);
      }
    }
    // Fresh rows: the marks turn those passkeys into server orphans, whose revokes the engine now proposes.
    const after = await this.rows(accountId);
    const actionIds = after
      .filter((r) => chosen.has(r.credentialId))
      .flatMap((r) =>
        r.actions
          .filter(
            (a) => a.kind === 'revoke-server' || (a.kind === 'delete-local' && r.status === 'duplicate'),
          )
          .map((a) => a.id),
      );
    const plan = await this.d.reconciler.plan({
      accountId,
      selection: { actionIds: [...new Set(actionIds)], overrides: [] },
    });
    return { plan, marked, skipped };
  }

  private async rows(accountId: string): Promise<ReconcileRow[]> {
    const record = await this.d.accounts.get(accountId);
    const [credentials, inventory, marks, retired] = await Promise.all([
      this.d.accounts.connector(record).listCredentials(),
      this.d.inventory(),
      this.d.marks.list(),
      this.d.vault.retired().catch(() => []), // unreadable: the vault is not complete, nothing rests on it
    ]);
    const account = {
      accountId,
      rpId: record.rpId,
      userHandle: record.userHandle,
      userName: record.userName,
      serverUrl: record.serverUrl,
      credentials,
    };
    return reconcile({
      passkeys: inventory.passkeys,
      stores: inventory.stores,
      accounts: [account],
      marks,
      retired,
    }).rows.filter((r) => r.accountId === accountId);
  }

  private async mark(row: ReconcileRow): Promise<void> {
    // Passkey Desk on the old computer has no guided card of its own: "another device", as the engine's mark says.
    const aaguid = row.server?.aaguid?.toLowerCase() ?? null;
    const store =
      row.store !== null && isGuidedStoreId(row.store)
        ? row.store
        : aaguid === PASSKEY_DESK_AAGUID
          ? 'guided:other'
          : (guidedCardForAaguid(aaguid)?.id ?? 'guided:phones');
    await this.d.journal.record(
      {
        action: 'guided.mark-deleted',
        effect: `Record that passkey ${shortId(row.credentialId)} for ${row.rpId} belonged to an old device; reconciliation then offers to revoke it.`,
        store,
        credentialId: row.credentialId,
        accountId: row.accountId,
        snapshot: { rpId: row.rpId, userHandle: row.userHandle },
        undo: null,
        planId: null,
      },
      () =>
        this.d.marks.record({
          store,
          rpId: row.rpId,
          credentialId: row.credentialId,
          userHandle: row.userHandle,
        }),
    );
  }

  /** A sign-in that only this credential may answer; the session it opens is closed again at once. */
  private async confirmSignIn(record: AccountRecord, credentialId: string): Promise<void> {
    const url = (p: string) => record.serverUrl + p;
    const options = requestOptions.parse(
      await requestJson(url(record.endpoints.authenticationOptions), {
        method: 'POST',
        body: { username: record.userName },
      }),
    );
    const { response } = await this.d.vault.sign({
      rpId: record.rpId,
      origin: record.origin,
      challenge: options.challenge,
      allowCredentialIds: [credentialId],
    });
    const done = signedIn.parse(
      await requestJson(url(record.endpoints.authenticationVerify), { method: 'POST', body: { response } }),
    );
    if (credentialKey(done.credentialId) !== credentialKey(credentialId)) {
      throw new PasskeyDeskError(
        'SERVER_ERROR',
        `The server signed in with passkey ${shortId(done.credentialId)}, not the new one (${shortId(credentialId)}).`,
      );
    }
    await requestJson(url(record.endpoints.signOut), { method: 'POST', token: done.token }).catch(
      () => undefined,
    );
  }
}
