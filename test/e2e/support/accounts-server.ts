/**
 * The reference server for the accounts, reconcile and activity e2e tests: started on 127.0.0.1 (port 0) inside
 * the test, its RP ID `localhost` and origin `http://localhost:<port>` exactly what the vault signs for when the
 * account is added through the UI. A second, vault-less passkey is registered with the soft authenticator over
 * the server's own API, as test/reconcile-e2e does, so that reconcile has something that lives elsewhere.
 */
import { spawn } from 'node:child_process';
import type { RunningServer } from '../../../src/server';
import { startServer } from '../../../src/server';
import type { AccountView } from '../../../src/shared/contract/accounts';
import type { Services } from '../../../src/main/services';
import { SoftAuthenticator } from '../../helpers/soft-authenticator';
import { addPasskey } from '../../server/support';

export type { RunningServer };

/** 1Password's AAGUID: the engine names its store (guided:1password), which Passkey Desk cannot read. */
const ONE_PASSWORD = Uint8Array.from(Buffer.from('bada5566a7aa401fbd9645619a55120d', 'hex'));

export function startReferenceServer(): Promise<RunningServer> {
  return startServer({ port: 0, host: '127.0.0.1' });
}

/** The account's session token, read from the keyring the services use (only the test ever sees it). */
export async function sessionToken(services: Services, accountId: string): Promise<string> {
  const secrets = services.config.secrets;
  if (!secrets) throw new Error('the desk services were created without a secret store');
  const stored = await secrets.get(`session:${accountId}`);
  const token = (JSON.parse(stored ?? '{}') as { token?: string }).token;
  if (!token) throw new Error(`no session token for ${accountId} in the keyring`);
  return token;
}

/** Registers a 1Password-made passkey with the account (not in any store this machine reads); returns its id. */
export async function addPasskeyElsewhere(
  server: RunningServer,
  services: Services,
  account: AccountView,
  /** Who made it (its AAGUID): 1Password unless told otherwise. */
  aaguid: Uint8Array = ONE_PASSWORD,
): Promise<string> {
  const added = await addPasskey(
    server,
    new SoftAuthenticator({ aaguid }),
    await sessionToken(services, account.id),
  );
  if (added.status !== 201)
    throw new Error(`adding a passkey failed: ${added.status} ${JSON.stringify(added.json)}`);
  return added.json.passkey.id;
}

/** Revokes a passkey on the server behind Passkey Desk's back (as the site's own settings page would). */
export async function revokeOnServer(
  services: Services,
  accountId: string,
  credentialId: string,
): Promise<void> {
  const accounts = services.accounts.accounts;
  await accounts.withConnector(await accounts.get(accountId), (c) => c.revoke(credentialId), {
    reauth: true,
  });
}

/** Deletes a vault passkey and purges it from the trash: gone from this machine for good. */
export async function purgeLocally(services: Services, credentialId: string): Promise<void> {
  await services.handlers['vault.delete']({ credentialId });
  await services.handlers['vault.purge']({ credentialId, confirm: true, override: 'still-accepted' });
}

/** The credential ids the server accepts for the account. */
export async function serverCredentialIds(services: Services, accountId: string): Promise<string[]> {
  const accounts = services.accounts.accounts;
  const list = await accounts.connector(await accounts.get(accountId)).listCredentials();
  return list.map((c) => c.credentialId).sort();
}

/** The pid of a process that has exited: what a plan file holds after its applier was killed. */
export function deadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => (child.pid === undefined ? reject(new Error('no pid')) : resolve(child.pid)));
  });
}

/** Connects an account through the services (the UI path is covered in accounts.spec.ts). */
export async function createAccount(
  services: Services,
  server: RunningServer,
  userName: string,
): Promise<{ account: AccountView; vault: string }> {
  const account = await services.handlers['accounts.add']({
    serverUrl: server.url,
    method: 'create',
    userName,
  });
  const vault = (await services.vault.list()).find((p) => p.userName === userName && p.rpId === account.rpId);
  if (!vault) throw new Error(`no vault passkey for ${userName} after sign-up`);
  return { account, vault: vault.credentialId };
}
