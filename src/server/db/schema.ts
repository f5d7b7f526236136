/**
 * The one schema shared by the embedded store (SQLite through libsql) and PostgreSQL. Binary values are stored
 * as base64url text and times as integer milliseconds since the epoch, so both engines hold identical values
 * and indexes behave the same.
 */
export interface UsersTable {
  /** The WebAuthn user handle (user.id), base64url. */
  id: string;
  name: string;
  display_name: string;
  created_at: number;
}

export interface CredentialsTable {
  /** Credential ID, canonical base64url. */
  id: string;
  user_id: string;
  /** COSE_Key bytes, base64url. */
  public_key: string;
  algorithm: number;
  counter: number;
  transports: string;
  aaguid: string;
  device_type: string;
  backup_eligible: number;
  backed_up: number;
  name: string;
  created_at: number;
  last_used_at: number | null;
  /** Set when a sign counter went backwards (a possible cloned authenticator). */
  flagged_at: number | null;
  flag_reason: string | null;
}

export interface ChallengesTable {
  /** The challenge itself, base64url: the response's clientDataJSON names it, so it is the lookup key. */
  id: string;
  /** The ceremony it was issued for: 'registration' | 'authentication'. */
  flow: string;
  /** For registration: the user the passkey will belong to; for username-first sign-in: the user named. */
  user_id: string | null;
  /** Flow-specific JSON (new account name, desktop request). */
  data: string;
  expires_at: number;
}

export interface SessionsTable {
  /** SHA-256 of the bearer token, hex. The token itself is never stored. */
  token_hash: string;
  user_id: string;
  credential_id: string;
  created_at: number;
  /** When the user last passed a user-verified ceremony in this session. */
  verified_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface DesktopRequestsTable {
  id: string;
  redirect_uri: string;
  code_challenge: string;
  state: string;
  expires_at: number;
}

export interface DesktopCodesTable {
  /** SHA-256 of the one-time code, hex. */
  code_hash: string;
  user_id: string;
  /** The passkey and time of the browser sign-in that approved the login; the new session inherits them. */
  credential_id: string;
  verified_at: number;
  redirect_uri: string;
  code_challenge: string;
  expires_at: number;
}

export interface Database {
  users: UsersTable;
  credentials: CredentialsTable;
  challenges: ChallengesTable;
  sessions: SessionsTable;
  desktop_requests: DesktopRequestsTable;
  desktop_codes: DesktopCodesTable;
}
