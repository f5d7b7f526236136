import type { ErrorInfo } from '../errors';
import type { AccountFacts } from './account-facts';
import type { MessageKey } from './messages';

/** What every check receives: the OS, the message picked, and the account facts when an account was picked. */
export interface DoctorContext {
  platform: string;
  message: MessageKey | null;
  /** Null when no account was picked, or when reading it failed (then `accountError` says why). */
  account: AccountFacts | null;
  accountError: ErrorInfo | null;
  /** The server to test for reachability: the account's, or null. */
  serverUrl: string | null;
}
