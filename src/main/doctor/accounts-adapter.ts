import { isPasskeyDeskError } from '../../shared/errors';
import type { AccountsService } from '../accounts/accounts-service';
import type { DoctorAccounts } from './doctor';

/** The troubleshooter's view of the accounts service: the record, and the server's list read with its connector. */
export function doctorAccounts(service: Pick<AccountsService, 'get' | 'connector'>): DoctorAccounts {
  return {
    async get(accountId) {
      try {
        const r = await service.get(accountId);
        return { accountId: r.id, rpId: r.rpId, userName: r.userName, serverUrl: r.serverUrl };
      } catch (e) {
        if (isPasskeyDeskError(e) && e.code === 'NOT_FOUND') return null;
        throw e;
      }
    },
    async connected(accountId) {
      const r = await service.get(accountId);
      const credentials = await service.connector(r).listCredentials();
      return {
        accountId: r.id,
        rpId: r.rpId,
        userHandle: r.userHandle,
        userName: r.userName,
        serverUrl: r.serverUrl,
        credentials,
      };
    },
  };
}
