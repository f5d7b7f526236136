/**
 * A desk for the troubleshooter's scenarios: real createServices over a fresh data folder, the real keyring, an
 * explicit test verifier, and the real reference server on 127.0.0.1; helpers to build each message's situation.
 */
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AccountView } from '../../src/shared/contract/accounts';
import { parseRequest } from '../../src/shared/contract/validate';
import type { DoctorRun, MessageKey } from '../../src/shared/doctor';
import { createServices } from '../../src/main/services';
import type { Services, ServicesConfig } from '../../src/main/services';
import type { RunningServer } from '../../src/server';
import { realKeyring } from '../helpers/keyring';
import type { SoftAuthenticator } from '../helpers/soft-authenticator';
import { TestVerifier } from '../helpers/test-verifier';
import { addPasskey, call } from '../server/support';

export interface Desk {
  services: Services;
  dataDir: string;
  /** An account signed up with a new vault passkey (the reference server's "create" flow). */
  signUp(server: RunningServer, userName: string): Promise<AccountView>;
  addVaultPasskey(accountId: string): Promise<string>;
  /**
   * A second vault passkey for the account, registered the way a site that sends no excludeCredentials lets it
   * happen: how duplicates arise in the wild ("you already have a passkey" is what sites that do exclude show).
   */
  addDuplicateVaultPasskey(server: RunningServer, accountId: string): Promise<string>;
  /** A passkey made on another authenticator (a phone, another browser) and registered with the account. */
  addForeignPasskey(
    server: RunningServer,
    accountId: string,
    authenticator: SoftAuthenticator,
  ): Promise<string>;
  revoke(accountId: string, credentialId: string): Promise<void>;
  sessionToken(accountId: string): Promise<string>;
  doctor(request: { accountId?: string; message?: MessageKey }): Promise<DoctorRun>;
}

export async function makeDesk(extra: Partial<ServicesConfig> = {}): Promise<Desk> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pkd-doctor-'));
  const services = createServices({
    dataDir,
    shell: 'test-bridge',
    secrets: realKeyring(),
    userVerifier: new TestVerifier(),
    ...extra,
  });
  const accounts = services.accounts.accounts;
  const h = services.handlers;
  const token = async (accountId: string) =>
    accounts.sessions.token(accountId, (await accounts.get(accountId)).userName);
  return {
    services,
    dataDir,
    signUp: async (server, userName) =>
      h['accounts.add'](parseRequest('accounts.add', { serverUrl: server.url, method: 'create', userName })),
    addVaultPasskey: async (accountId) =>
      (await h['accounts.addVaultPasskey'](parseRequest('accounts.addVaultPasskey', { accountId }))).passkey
        .credentialId,
    async addDuplicateVaultPasskey(server, accountId) {
      const t = await token(accountId);
      const options = await call<PublicKeyCredentialCreationOptionsJSON>(
        server,
        'POST',
        '/api/registration/options',
        { body: {}, token: t },
      );
      const { registration } = await services.vault.create({
        rpId: server.rpId,
        userName: options.json.user.name,
        userHandle: options.json.user.id,
        origin: server.origin,
        challenge: options.json.challenge,
      });
      const done = await call<{ passkey: { id: string } }>(server, 'POST', '/api/registration/verify', {
        body: { response: registration },
        token: t,
      });
      if (done.status !== 201)
        throw new Error(`registration failed: ${done.status} ${JSON.stringify(done.json)}`);
      return done.json.passkey.id;
    },
    async addForeignPasskey(server, accountId, authenticator) {
      const r = await addPasskey(server, authenticator, await token(accountId));
      if (r.status !== 201) throw new Error(`adding a passkey failed: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json.passkey.id;
    },
    async revoke(accountId, credentialId) {
      await accounts.withConnector(await accounts.get(accountId), (c) => c.revoke(credentialId), {
        reauth: true,
      });
    },
    sessionToken: token,
    doctor: async (request) => h['doctor.run'](parseRequest('doctor.run', request)),
  };
}
