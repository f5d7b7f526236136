import type { Handlers } from '../../shared/contract';
import { MESSAGES } from '../../shared/doctor';
import type { DeletionMark } from '../../shared/reconcile';
import type { Inventory } from '../../shared/model';
import type { DoctorAccounts } from '../doctor';
import { Doctor, defaultChecks, describeSystem, osFacts } from '../doctor';
import type { OsFacts } from '../doctor';
import type { ReachabilityOptions } from '../doctor/reachability';
import type { PasskeyStore } from '../stores/store';
import type { UserVerifier } from '../verify/user-verifier';

export type DoctorHandlers = Pick<Handlers, 'doctor.messages' | 'doctor.run'>;

export interface DoctorFeatureDeps {
  platform: NodeJS.Platform;
  inventory(): Promise<Inventory>;
  marks(): Promise<DeletionMark[]>;
  /** The stores the composition root added; the Windows Hello one (id `windows-hello`) reports its facts. */
  stores: readonly PasskeyStore[];
  verifier: UserVerifier;
  appVersion: string;
  /** The accounts module; null until accounts are wired (account checks then say so). */
  accounts?: DoctorAccounts | null;
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
      ...(d.reachability ? { reachability: d.reachability } : {}),
    }),
    inventory: d.inventory,
    marks: d.marks,
    accounts: d.accounts ?? null,
    system: () => describeSystem(facts()),
    appVersion: d.appVersion,
    ...(d.now ? { now: d.now } : {}),
  });
}

/** The handlers behind `doctor.*`: the message catalogue and a read-only troubleshooting run. */
export function doctorHandlers(d: DoctorFeatureDeps): DoctorHandlers {
  const doctor = createDoctor(d);
  return {
    'doctor.messages': async () => MESSAGES,
    'doctor.run': async (req) => doctor.run({ ...(req.accountId ? { accountId: req.accountId } : {}), ...(req.message ? { message: req.message } : {}) }),
  };
}
