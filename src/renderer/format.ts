import { missingCase } from '../shared/errors';
import type { Passkey, StoreKind, StoreStatus } from '../shared/model';
import { providerName } from '../shared/providers';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function parse(iso: string | null): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function formatDate(iso: string | null, fallback = 'Unknown'): string {
  const d = parse(iso);
  return d ? dateFormat.format(d) : fallback;
}

export function formatDateTime(iso: string | null, fallback = 'Unknown'): string {
  const d = parse(iso);
  return d ? dateTimeFormat.format(d) : fallback;
}

/** The account a passkey belongs to, as people read it. */
export function userLabel(p: Pick<Passkey, 'userName' | 'userDisplayName'>): string {
  return p.userName ?? p.userDisplayName ?? 'Unnamed account';
}

export function providerLabel(p: Pick<Passkey, 'providerName' | 'aaguid'>): string | null {
  return p.providerName ?? providerName(p.aaguid);
}

export function storeKindLabel(kind: StoreKind): string {
  switch (kind) {
    case 'vault':
      return 'Vault';
    case 'windows-hello':
      return 'Windows Hello';
    case 'security-key':
      return 'Security key';
    case 'export':
      return 'Export file';
    case 'guided':
      return 'Managed elsewhere';
    default:
      return missingCase(kind);
  }
}

export function statusLabel(status: StoreStatus): string {
  switch (status) {
    case 'available':
      return 'Read';
    case 'unavailable':
      return 'Not available here';
    case 'locked':
      return 'Locked';
    case 'needs-pin':
      return 'Needs PIN';
    case 'error':
      return 'Error';
    default:
      return missingCase(status);
  }
}

export function algorithmLabel(alg: number | null): string {
  switch (alg) {
    case null:
      return 'Unknown';
    case -7:
      return 'ES256 (ECDSA P-256, -7)';
    case -8:
      return 'EdDSA (-8)';
    case -257:
      return 'RS256 (RSA, -257)';
    default:
      return `COSE ${alg}`;
  }
}

export function yesNo(value: boolean | null): string {
  return value === null ? 'Unknown' : value ? 'Yes' : 'No';
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
