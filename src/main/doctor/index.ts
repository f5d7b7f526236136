/** Troubleshooting checks that look at this machine and its accounts; the model is src/shared/doctor. */
export type { DoctorAccounts, DoctorDeps, DoctorRequest } from './doctor';
export { Doctor } from './doctor';
export type { DefaultChecksOptions } from './default-checks';
export { defaultChecks } from './default-checks';
export { describeSystem, osFacts, platformCheck, platformFinding } from './platform';
export type { OsFacts } from './platform';
export { bluetoothCheck, bluezFindings } from './bluetooth';
export { readBluez, parseBusctl, parseGdbus } from './bluez';
export type { Adapter, BluezOptions, BluezState, BluezTool } from './bluez';
export { reachabilityCheck, reachabilityFindings } from './reachability';
export { windowsHelloCheck, windowsHelloFindings } from './windows-hello';
export { touchIdCheck, touchIdFindings } from './touch-id';
export { androidProfileFinding, guidedChecks, hybridPolicyFinding, syncFinding } from './guided';
export { passkeyStatusCheck, storeReachCheck } from './account-checks';
export { runChecks } from './run-checks';
export { doctorAccounts } from './accounts-adapter';
export type { DeskChecksOptions, DeskState } from './desk';
export {
  dataFolderWords,
  deskChecks,
  keyringFindings,
  userVerificationFindings,
  vaultFileFindings,
  vaultKeyAccount,
  vaultKeyFindings,
} from './desk';
