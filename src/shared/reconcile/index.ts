/** The reconcile module's public surface: import from here, not from its files. */
export type * from './types';
export { EXECUTABLE_KINDS, RECONCILE_STATUSES } from './types';
export { reconcile } from './reconcile';
export { buildPlan, describePlan } from './plan';
export { applyPlanToInputs } from './apply';
export { summarise } from './summary';
export { statusLabel } from './explain';
export { credentialKey } from './credentialKey';
export { isCanonicalBase64url } from '../base64url';
export { PASSKEY_DESK_AAGUID } from '../aaguid';
