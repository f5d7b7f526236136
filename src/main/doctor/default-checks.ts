import type { Check, DoctorContext } from '../../shared/doctor';
import type { StoreInfo } from '../../shared/model';
import type { UserVerifier } from '../verify/user-verifier';
import { passkeyStatusCheck, storeReachCheck } from './account-checks';
import { bluetoothCheck } from './bluetooth';
import type { DeskChecksOptions } from './desk';
import { deskChecks } from './desk';
import { guidedChecks } from './guided';
import type { OsFacts } from './platform';
import { platformCheck } from './platform';
import type { ReachabilityOptions } from './reachability';
import { reachabilityCheck } from './reachability';
import { touchIdCheck } from './touch-id';
import { windowsHelloCheck } from './windows-hello';

export interface DefaultChecksOptions {
  /** The environment D-Bus clients read (DBUS_SYSTEM_BUS_ADDRESS names the system bus). */
  env?: NodeJS.ProcessEnv;
  osFacts?: () => OsFacts;
  /** The Windows Hello store (its info() reports API version and Windows Hello availability). */
  windowsHello?: { info(): Promise<StoreInfo> } | null;
  verifier?: UserVerifier | null;
  reachability?: ReachabilityOptions;
  /** Passkey Desk's own requirements (vault file, keyring, vault key, polkit); left out when not given. */
  desk?: Omit<DeskChecksOptions, 'env' | 'verifier'> | null;
}

/** Every check, in the order the report lists ties. */
export function defaultChecks(o: DefaultChecksOptions = {}): Check<DoctorContext>[] {
  return [
    passkeyStatusCheck(),
    storeReachCheck(),
    platformCheck(o.osFacts),
    windowsHelloCheck(o.windowsHello ?? null),
    touchIdCheck(o.verifier ?? null),
    bluetoothCheck(o.env ? { env: o.env } : {}),
    reachabilityCheck(o.reachability),
    ...guidedChecks(),
    ...(o.desk
      ? deskChecks({ ...o.desk, verifier: o.verifier ?? null, ...(o.env ? { env: o.env } : {}) })
      : []),
  ];
}
