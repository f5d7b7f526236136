import type { ScreenId } from '../../shell/navigation';

/** What an entry point already knows when it opens "Can't sign in?": the account, or the site of a passkey. */
export interface DoctorTarget {
  accountId?: string;
  /** A passkey's site (from the inventory): the account with this RP ID is picked. */
  rpId?: string;
}

// The shell navigates by screen id only; the target waits here until the screen has read it.
let pending: DoctorTarget = {};

/** Opens the troubleshooter with an account (or a site) already picked. */
export function openTroubleshooter(navigate: (screen: ScreenId) => void, target: DoctorTarget = {}): void {
  pending = target;
  navigate('doctor');
}

/** Read during the screen's first render (StrictMode may render it twice, so reading does not clear it). */
export function peekTarget(): DoctorTarget {
  return pending;
}

export function clearTarget(): void {
  pending = {};
}
