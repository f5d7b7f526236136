/**
 * The situations behind the troubleshooter's messages, built for real on the reference server (as test/doctor does):
 * a duplicate vault passkey a site let in, passkeys made on other devices, an account left with no passkey at all.
 */
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import type { AccountView } from '../../../src/shared/contract/accounts';
import type { Services } from '../../../src/main/services';
import { SoftAuthenticator } from '../../helpers/soft-authenticator';
import { addPasskey, call } from '../../server/support';
import type { RunningServer } from './accounts-server';
import { sessionToken } from './accounts-server';

const aaguid = (hex: string) => Uint8Array.from(Buffer.from(hex.replace(/-/g, ''), 'hex'));
/** iCloud Keychain (an iPhone) and Windows Hello (an old PC): stores this Linux machine cannot read. */
export const ICLOUD = aaguid('fbfc3007-154e-4ecc-8c0b-6e020557d7bd');
export const WINDOWS_HELLO = aaguid('08987058-cadc-4b81-b6e1-30de50dcbe96');

/**
 * A second vault passkey for the account, registered the way a site that sends no excludeCredentials lets it
 * happen (the vault itself refuses a second one through accounts.addVaultPasskey).
 */
export async function addDuplicateVaultPasskey(
  server: RunningServer,
  services: Services,
  account: AccountView,
): Promise<string> {
  const token = await sessionToken(services, account.id);
  const options = await call<PublicKeyCredentialCreationOptionsJSON>(
    server,
    'POST',
    '/api/registration/options',
    { body: {}, token },
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
    token,
  });
  if (done.status !== 201)
    throw new Error(`registration failed: ${done.status} ${JSON.stringify(done.json)}`);
  return done.json.passkey.id;
}

/** A passkey made on another device (its authenticator's AAGUID says which) and registered with the account. */
export async function addFromOtherDevice(
  server: RunningServer,
  services: Services,
  account: AccountView,
  made: Uint8Array,
): Promise<string> {
  const added = await addPasskey(
    server,
    new SoftAuthenticator({ aaguid: made }),
    await sessionToken(services, account.id),
  );
  if (added.status !== 201) throw new Error(`adding a passkey failed: ${added.status}`);
  return added.json.passkey.id;
}

/** The site's operator reset the account's passkeys, and the vault copy was deleted: none is left anywhere. */
export async function removeEveryPasskey(server: RunningServer, services: Services): Promise<void> {
  await server.db.deleteFrom('credentials').execute();
  for (const p of await services.vault.list()) await services.deletePasskey('vault', p.credentialId);
}
