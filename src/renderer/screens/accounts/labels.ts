import type { AccountView, SignInMethod } from '../../../shared/contract/accounts';
import { missingCase } from '../../../shared/errors';

export type AddMethod = SignInMethod | 'create';

export function methodLabel(method: SignInMethod): string {
  switch (method) {
    case 'vault':
      return 'the Passkey Desk vault';
    case 'browser':
      return 'the browser';
    default:
      return missingCase(method);
  }
}

/** "ana at localhost": how an account is named everywhere on this screen. */
export function accountName(account: Pick<AccountView, 'userName' | 'rpId'>): string {
  return `${account.userName} at ${account.rpId}`;
}
