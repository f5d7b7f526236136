import type { MessageKey } from './messages';
import type { CheckId, Finding } from './types';

/** An account as the accounts module knows it, without asking its server. */
export interface AccountRef {
  accountId: string;
  rpId: string;
  userName: string;
  serverUrl: string;
}

/** One troubleshooting run, as `doctor.run` returns it and `passkey-desk doctor --json` prints it. */
export interface DoctorRun {
  message: MessageKey | null;
  account: AccountRef | null;
  /** "Linux 6.1.0 (x64)": no host name, no user. */
  system: string;
  at: string;
  /** Most likely first. */
  findings: Finding[];
  /** What to read first: the most likely problem, else the most likely unknown; null when all is ok. */
  top: Finding | null;
  checked: { id: CheckId; title: string }[];
  /** The support report ("copy report"): findings with evidence, IDs shortened, no secrets. */
  report: string;
}
