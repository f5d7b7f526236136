import type { AccountView } from '../../../shared/contract/accounts';
import type { OldPasskey } from '../../../shared/contract/doctor';
import type { DoctorMessage, Verdict } from '../../../shared/doctor';
import { missingCase } from '../../../shared/errors';
import type { BadgeTone } from '../../ui/Badge';

/** How a finding's verdict reads as a badge. */
export function verdictBadge(verdict: Verdict): { label: string; tone: BadgeTone } {
  switch (verdict) {
    case 'problem':
      return { label: 'Problem', tone: 'bad' };
    case 'unknown':
      return { label: 'Cannot tell from here', tone: 'warn' };
    case 'ok':
      return { label: 'Ruled out', tone: 'good' };
    default:
      return missingCase(verdict);
  }
}

/** "ana at localhost", as the Accounts screen names an account. */
export function accountLabel(account: Pick<AccountView, 'userName' | 'rpId'>): string {
  return `${account.userName} at ${account.rpId}`;
}

/** The words a user saw, quoted exactly: the first wording names the message. */
export function messageLabel(message: DoctorMessage): string {
  return `"${message.wordings[0] ?? message.key}"`;
}

/** "iCloud Keychain" or "Work phone (iCloud Keychain)": the server's name for a passkey, and who made it. */
export function passkeyName(p: Pick<OldPasskey, 'name' | 'madeBy'>): string {
  return p.name && p.name !== p.madeBy ? `${p.name} (${p.madeBy})` : p.madeBy;
}
