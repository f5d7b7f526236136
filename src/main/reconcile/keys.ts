/**
 * Matching keys the engine uses internally. `credentialKey` is public in src/shared/reconcile; the RP ID rule
 * (case-insensitive, no trailing dot) is not exported there, so it is restated here — keep the two in step.
 */
import { credentialKey } from '../../shared/reconcile';

export { credentialKey };

export function rpKey(rpId: string): string {
  const lower = rpId.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

export const sameCredential = (a: string, b: string): boolean => credentialKey(a) === credentialKey(b);
