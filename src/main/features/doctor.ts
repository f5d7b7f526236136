import type { Handlers } from '../../shared/contract';
import { MESSAGES } from '../../shared/doctor';
import { PasskeyDeskError } from '../../shared/errors';
import type { Inventory } from '../../shared/model';
import type { AccountsService } from '../accounts/accounts-service';
import type { OsFacts } from '../doctor';
import { Doctor, defaultChecks, describeSystem, doctorAccounts, osFacts } from '../doctor';
import { NewDeviceFlow } from '../doctor/new-device';
import type { ReachabilityOptions } from '../doctor/reachability';
import type { Journal } from '../journal';
import type { SecretStore } from '../keyring';
import type { Reconciler } from '../reconcile/reconciler';
import type { DeletionMarks } from '../stores/guided';
import type { PasskeyStore } from '../stores/store';
import type { VaultStore } from '../stores/vault/vault-store';
import type { UserVerifier } from '../verify/user-verifier';

export type DoctorHandlers = Pick<
  Handlers,
  | 'doctor.messages'
  | 'doctor.run'
  | 'doctor.newDeviceAdd'
  | 'doctor.newDeviceCandidates'
  | 'doctor.newDeviceRetire'
>;

export interface DoctorFeatureDeps {
  platform: NodeJS.Platform;
  inventory(): Promise<Inventory>;
  marks: DeletionMarks;
  journal: Journal;
  vault: VaultStore;
  /** The stores the composition root added; the Windows Hello one (id `windows-hello`) reports its facts. */
  stores: readonly PasskeyStore[];
  verifier: UserVerifier;
  /**
   * The keyring the vault was built with: the doctor looks up the vault key in it (never makes one). Without it
   * the keyring and vault-key checks are left out (the vault file and polkit are still checked).
   */
  secrets?: SecretStore | null;
  appVersion: string;
  /** The accounts service and the reconciler; without them the account checks and the new-device flow say so. */
  accounts?: { accounts: AccountsService; reconciler: Reconciler } | null;
  /** The environment D-Bus clients read: DBUS_SYSTEM_BUS_ADDRESS names the system bus. Default process.env. */
  env?: NodeJS.ProcessEnv;
  osFacts?: () => OsFacts;
  reachability?: ReachabilityOptions;
  now?: () => Date;
}

export function createDoctor(d: DoctorFeatureDeps): Doctor {
  const facts = d.osFacts ?? (() => ({ ...osFacts(), platform: d.platform }));
  return new Doctor({
    platform: d.platform,
    checks: defaultChecks({
      env: d.env ?? process.env,
      osFacts: facts,
      windowsHello: d.stores.find((s) => s.id === 'windows-hello') ?? null,
      verifier: d.verifier,
      desk: { vault: d.vault, secrets: d.secrets ?? null },
      ...(d.reachability ? { reachability: d.reachability } : {}),
    }),
    inventory: () => d.inventory(),
    marks: () => d.marks.list(),
    retired: () => d.vault.retired(),
    trash: () => d.vault.trash(),
    accounts: d.accounts ? doctorAccounts(d.accounts.accounts) : null,
    system: () => describeSystem(facts()),
    appVersion: d.appVersion,
    ...(d.now ? { now: d.now } : {}),
  });
}

/** The handlers behind `doctor.*`: the message catalogue, a read-only troubleshooting run, and the new-device flow. */
export function doctorHandlers(d: DoctorFeatureDeps): DoctorHandlers {
  const doctor = createDoctor(d);
  const flow = (): NewDeviceFlow => {
    if (!d.accounts) throw new PasskeyDeskError('UNSUPPORTED', 'Accounts are not available in this build.');
    return new NewDeviceFlow({
      accounts: d.accounts.accounts,
      reconciler: d.accounts.reconciler,
      vault: d.vault,
      marks: d.marks,
      journal: d.journal,
      inventory: () => d.inventory(),
    });
  };
  return {
    'doctor.messages': async () => MESSAGES,
    'doctor.run': async (req) =>
      doctor.run({
        ...(req.accountId ? { accountId: req.accountId } : {}),
        ...(req.message ? { message: req.message } : {}),
      }),
    'doctor.newDeviceAdd': async (req) => flow().add(req.accountId, req.store ?? 'vault'),
    'doctor.newDeviceCandidates': async (req) => flow().candidates(req.accountId),
    'doctor.newDeviceRetire': async (req) => flow().retire(req.accountId, req.credentialIds),
  };
}
