/**
 * What each kind of plan step does, checked against the real state at the moment it runs:
 * - `done`: has its effect already happened? (a crash after the effect but before the journal's end line, or a
 *   user who fixed it by hand) — then the step is not run again;
 * - `guard`: the two lockout guards, judged again on fresh server state (the plan was built minutes ago);
 * - `run`: the effect itself; `journal`: the line written (and fsynced) before it runs.
 */
import type { Guard, PlanStep } from '../../shared/reconcile';
import type { JournalStepInput } from '../../shared/journal';
import { missingCase, PasskeyDeskError } from '../../shared/errors';
import type { Passkey } from '../../shared/model';
import type { AccountsService } from '../accounts/accounts-service';
import type { AccountRecord } from '../accounts/types';
import type { StoreRegistry } from '../inventory';
import type { DeletionMarks } from '../stores/guided';
import type { DeletionMark } from '../../shared/reconcile';
import { notRemovable } from '../stores/store';
import type { PasskeyStore } from '../stores/store';
import { rpKey, sameCredential } from './keys';
import type { RetiredCredential } from '../../shared/reconcile';
import type { VaultStore } from '../stores/vault/vault-store';

export interface StepDeps {
  accounts: AccountsService;
  registry: StoreRegistry;
  marks: DeletionMarks;
  /** The vault's retired passkeys: a revoke resting on "gone from the vault" needs the vault to have held it. */
  vault: Pick<VaultStore, 'retired'>;
  /** Reads for premise checks, shared by the steps of one run (see premiseReads); fresh ones when absent. */
  premiseReads?: PremiseReads;
}

/**
 * What premise checks read, once per apply run rather than once per step: a store's listing and the deletion
 * marks. Within a run the only changes to either are the plan's own, and a revoke's premise is about a passkey no
 * step of the plan adds back.
 */
export interface PremiseReads {
  listing(store: PasskeyStore): Promise<Passkey[]>;
  marks(): Promise<DeletionMark[]>;
  retired(): Promise<RetiredCredential[]>;
}

export function premiseReads(d: Pick<StepDeps, 'marks' | 'vault'>): PremiseReads {
  const listings = new Map<string, Promise<Passkey[]>>();
  let marks: Promise<DeletionMark[]> | null = null;
  let retired: Promise<RetiredCredential[]> | null = null;
  return {
    listing(store) {
      let got = listings.get(store.id);
      if (got === undefined) listings.set(store.id, (got = store.list()));
      return got;
    },
    marks: () => (marks ??= d.marks.list()),
    retired: () => (retired ??= d.vault.retired()),
  };
}

export interface GuardStop {
  guard: Guard;
  code: 'LAST_PASSKEY' | 'STILL_ACCEPTED';
  reason: string;
}

export interface StepRunner {
  done(): Promise<boolean>;
  /**
   * Why the step no longer fits the state (null when it still does): see PlanStep.premise. Throws when the
   * premise cannot be checked (its store cannot be read): the step then fails rather than runs.
   */
  premiseGone?(): Promise<string | null>;
  guard(): Promise<GuardStop | null>;
  journal(planId: string): Promise<JournalStepInput>;
  run(): Promise<void>;
}

async function storeOf(d: StepDeps, id: string | null): Promise<PasskeyStore> {
  const store = id === null ? null : await d.registry.get(id);
  if (!store)
    throw new PasskeyDeskError(
      'STORE_UNAVAILABLE',
      `The store "${id ?? '?'}" this step deletes from is not available now; connect it (or unlock it) and resume the plan.`,
    );
  return store;
}

async function findLocal(
  d: StepDeps,
  step: PlanStep,
): Promise<{ store: PasskeyStore; passkey: Passkey | null }> {
  const store = await storeOf(d, step.target.store);
  const all = await store.list();
  const passkey =
    all.find(
      (p) =>
        sameCredential(p.credentialId, step.target.credentialId) && rpKey(p.rpId) === rpKey(step.target.rpId),
    ) ?? null;
  return { store, passkey };
}

async function accountOf(d: StepDeps, step: PlanStep): Promise<AccountRecord> {
  if (step.target.accountId === null)
    throw new PasskeyDeskError('INVALID_INPUT', `Step ${step.actionId} names no account.`);
  return d.accounts.get(step.target.accountId);
}

async function acceptedIds(d: StepDeps, record: AccountRecord): Promise<string[]> {
  return (await d.accounts.withConnector(record, (c) => c.acceptedCredentials(), { reauth: false }))
    .allAcceptedCredentialIds;
}

const base = (step: PlanStep, planId: string) => ({
  effect: step.effect,
  credentialId: step.target.credentialId,
  planId,
});

function deleteLocal(d: StepDeps, step: PlanStep): StepRunner {
  return {
    done: async () => (await findLocal(d, step)).passkey === null,
    guard: async () => {
      if (step.overridden === 'still-accepted') return null;
      if (step.target.accountId === null) {
        return {
          guard: 'still-accepted',
          code: 'STILL_ACCEPTED',
          reason: `No connected account can confirm that ${step.target.rpId} no longer accepts this passkey; override this action to delete it anyway.`,
        };
      }
      const record = await accountOf(d, step);
      if ((await acceptedIds(d, record)).some((id) => sameCredential(id, step.target.credentialId))) {
        return {
          guard: 'still-accepted',
          code: 'STILL_ACCEPTED',
          reason: `${record.serverUrl} still accepts this passkey for ${record.userName}, so deleting it here could lock you out. Revoke it there first, or override this action.`,
        };
      }
      return null;
    },
    journal: async (planId) => {
      const { store, passkey } = await findLocal(d, step);
      const undoable = store.id === 'vault';
      return {
        ...base(step, planId),
        action: undoable ? 'vault.delete' : 'store.delete',
        store: store.id,
        accountId: step.target.accountId,
        snapshot: { actionId: step.actionId, ...(passkey ?? {}) },
        undo: undoable
          ? { kind: 'vault-restore', credentialId: passkey?.credentialId ?? step.target.credentialId }
          : null,
      };
    },
    run: async () => {
      const { store, passkey } = await findLocal(d, step);
      if (passkey === null) return;
      if (!passkey.removable) throw await notRemovable(store, passkey);
      if (!store.delete)
        throw new PasskeyDeskError(
          'NOT_REMOVABLE',
          `${store.label} cannot delete this passkey from here; delete it in ${store.label} itself.`,
        );
      await store.delete.call(store, passkey.credentialId);
    },
  };
}

/** Whether the server orphan this revoke retires is still one: see PlanStep.premise. */
async function revokePremiseGone(d: StepDeps, step: PlanStep): Promise<string | null> {
  const premise = step.premise ?? null;
  if (premise === null) return null;
  const reads = d.premiseReads ?? premiseReads(d);
  const { rpId, credentialId } = step.target;
  const store = await d.registry.get(premise.goneFrom);
  if (store !== null && store.kind !== 'guided') {
    // A store read here: it must still not hold the passkey (a restore from the trash, an import brings it back).
    const held = (await reads.listing(store)).some(
      (p) => sameCredential(p.credentialId, credentialId) && rpKey(p.rpId) === rpKey(rpId),
    );
    if (held)
      return `Not revoked: ${store.label} holds this passkey again (restored from the trash, or imported), so the server should keep accepting it. Reconcile again to see what it needs now.`;
    // "Gone from the vault" means the vault held it once. A plan made before the vault kept its retired IDs
    // rested on the AAGUID alone, which every Passkey Desk shares: another computer's passkey must not go.
    if (store.kind === 'vault') {
      const once = (await reads.retired()).some(
        (r) =>
          r.store === store.id &&
          sameCredential(r.credentialId, credentialId) &&
          rpKey(r.rpId) === rpKey(rpId),
      );
      if (!once)
        return `Not revoked: ${store.label} never held this passkey (Passkey Desk on another computer most likely made it, and it may still work there). Reconcile again to see what it needs now.`;
    }
    return null;
  }
  // A store Passkey Desk cannot read: the revoke rests on the user's "I deleted it there", which they can withdraw.
  const marked = (await reads.marks()).some(
    (m) =>
      rpKey(m.rpId) === rpKey(rpId) &&
      (m.credentialId !== null ? sameCredential(m.credentialId, credentialId) : m.store === premise.goneFrom),
  );
  return marked
    ? null
    : `Not revoked: the mark saying you deleted this passkey in ${store?.label ?? premise.goneFrom} was withdrawn, so it may still be in use there. Reconcile again to see what it needs now.`;
}

function revokeServer(d: StepDeps, step: PlanStep): StepRunner {
  return {
    done: async () =>
      !(await acceptedIds(d, await accountOf(d, step))).some((id) =>
        sameCredential(id, step.target.credentialId),
      ),
    premiseGone: () => revokePremiseGone(d, step),
    guard: async () => {
      if (step.overridden === 'last-passkey') return null;
      const record = await accountOf(d, step);
      const accepted = await acceptedIds(d, record);
      if (accepted.length <= 1) {
        return {
          guard: 'last-passkey',
          code: 'LAST_PASSKEY',
          reason: `This is the last passkey ${record.serverUrl} accepts for ${record.userName}; revoking it would lock you out. Add another passkey first, or override this action.`,
        };
      }
      return null;
    },
    journal: async (planId) => {
      const record = await accountOf(d, step);
      const server =
        (await d.accounts.connector(record).listCredentials()).find((c) =>
          sameCredential(c.credentialId, step.target.credentialId),
        ) ?? null;
      return {
        ...base(step, planId),
        action: 'server.revoke',
        store: null,
        accountId: record.id,
        snapshot: {
          actionId: step.actionId,
          serverUrl: record.serverUrl,
          userName: record.userName,
          credential: server,
        },
        undo: null,
      };
    },
    run: async () => {
      const record = await accountOf(d, step);
      await d.accounts.withConnector(record, (c) => c.revoke(step.target.credentialId), { reauth: true });
    },
  };
}

function renameServer(d: StepDeps, step: PlanStep): StepRunner {
  const current = async () => {
    const record = await accountOf(d, step);
    return (
      (await d.accounts.connector(record).listCredentials()).find((c) =>
        sameCredential(c.credentialId, step.target.credentialId),
      ) ?? null
    );
  };
  return {
    done: async () => (await current())?.name === step.target.newName,
    guard: async () => null,
    journal: async (planId) => ({
      ...base(step, planId),
      action: 'server.rename',
      store: null,
      accountId: step.target.accountId,
      snapshot: {
        actionId: step.actionId,
        previousName: (await current())?.name ?? null,
        newName: step.target.newName,
      },
      undo: null,
    }),
    run: async () => {
      const record = await accountOf(d, step);
      await d.accounts.withConnector(
        record,
        (c) => c.rename(step.target.credentialId, step.target.newName ?? ''),
        { reauth: false },
      );
    },
  };
}

function markDeleted(d: StepDeps, step: PlanStep): StepRunner {
  const store = step.target.store ?? 'guided:other';
  return {
    done: async () =>
      (await d.marks.list()).some(
        (m) =>
          m.store === store &&
          rpKey(m.rpId) === rpKey(step.target.rpId) &&
          m.credentialId !== null &&
          sameCredential(m.credentialId, step.target.credentialId),
      ),
    guard: async () => null,
    journal: async (planId) => ({
      ...base(step, planId),
      action: 'guided.mark-deleted',
      store,
      accountId: step.target.accountId,
      snapshot: { actionId: step.actionId, rpId: step.target.rpId },
      undo: null,
    }),
    run: async () => {
      const record = step.target.accountId === null ? null : await accountOf(d, step);
      await d.marks.record({
        store,
        rpId: step.target.rpId,
        credentialId: step.target.credentialId,
        userHandle: record?.userHandle ?? null,
      });
    },
  };
}

export function stepRunner(d: StepDeps, step: PlanStep): StepRunner {
  switch (step.kind) {
    case 'delete-local':
      return deleteLocal(d, step);
    case 'revoke-server':
      return revokeServer(d, step);
    case 'rename-server':
      return renameServer(d, step);
    case 'mark-deleted':
      return markDeleted(d, step);
    default:
      return missingCase(step.kind);
  }
}
