/**
 * Accounts on relying-party servers: what Passkey Desk keeps about each (never the session token: that lives in
 * the OS keyring only) and the connector interface every kind of server implements.
 */
import type { ServerCredential } from '../../shared/reconcile';
import type { SignInMethod } from '../../shared/contract/accounts';

/** The JSON endpoints a server names in its API description (`GET /api` on the reference server). */
export interface ServerEndpoints {
  registrationOptions: string;
  registrationVerify: string;
  authenticationOptions: string;
  authenticationVerify: string;
  passkeys: string;
  acceptedCredentials: string;
  currentUser: string;
  signOut: string;
  desktopAuthorize: string | null;
  desktopToken: string | null;
}

/** What discovery learns from a server URL alone. */
export interface Discovery {
  serverUrl: string;
  rpId: string;
  rpName: string | null;
  /** Where the server's pages live and the origin WebAuthn ceremonies are bound to. */
  origin: string;
  enroll: string | null;
  manage: string | null;
  endpoints: ServerEndpoints;
}

/** One connected account, as persisted in `accounts.json`. No secrets. */
export interface AccountRecord extends Discovery {
  id: string;
  connector: 'reference-server';
  userName: string;
  userDisplayName: string | null;
  /** base64url user.id on that server. */
  userHandle: string;
  addedAt: string;
}

/** What the keyring holds for an account (`session:<accountId>`), as JSON. */
export interface StoredSession {
  token: string;
  expiresAt: string | null;
  method: SignInMethod;
}

/** The Signal API's `signalAllAcceptedCredentials` argument. */
export interface AcceptedCredentials {
  rpId: string;
  userId: string;
  allAcceptedCredentialIds: string[];
}

/** The Signal API's `signalCurrentUserDetails` argument. */
export interface CurrentUserDetails {
  rpId: string;
  userId: string;
  name: string;
  displayName: string;
}

/**
 * A server's management API for the signed-in user. Implementations map every failure to a PasskeyDeskError
 * (SERVER_UNREACHABLE, SESSION_EXPIRED, NOT_SIGNED_IN, LAST_PASSKEY, RECENT_SIGN_IN_REQUIRED, RATE_LIMITED,
 * NOT_FOUND, SERVER_ERROR) whose message carries the server's own words.
 */
export interface AccountConnector {
  readonly kind: 'reference-server';
  listCredentials(): Promise<ServerCredential[]>;
  /** Revokes one credential; returns what the server accepts afterwards. */
  revoke(credentialId: string): Promise<AcceptedCredentials>;
  rename(credentialId: string, name: string): Promise<ServerCredential>;
  acceptedCredentials(): Promise<AcceptedCredentials>;
  currentUserDetails(): Promise<CurrentUserDetails>;
  signOut(): Promise<void>;
}
