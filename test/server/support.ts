/** Shared test plumbing for the server tests: JSON over real HTTP, ceremonies with the soft authenticator. */
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { RunningServer } from '../../src/server';
import type { SoftAuthenticator } from '../helpers/soft-authenticator';

export interface Reply<T = Record<string, unknown>> {
  status: number;
  json: T;
  headers: Headers;
}

export async function call<T = Record<string, unknown>>(
  server: { url: string },
  method: string,
  path: string,
  options: { body?: unknown; token?: string; raw?: string; headers?: Record<string, string> } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined || options.raw !== undefined) headers['content-type'] ??= 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const res = await fetch(server.url + path, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
    redirect: 'manual',
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}

export interface SignedIn {
  token: string;
  userId: string;
  credentialId: string;
}

export async function signUp(
  server: RunningServer,
  auth: SoftAuthenticator,
  username: string,
): Promise<SignedIn> {
  const options = await call<PublicKeyCredentialCreationOptionsJSON>(
    server,
    'POST',
    '/api/registration/options',
    { body: { username } },
  );
  if (options.status !== 200)
    throw new Error(`registration options: ${options.status} ${JSON.stringify(options.json)}`);
  const response = auth.register(options.json, server.origin);
  const done = await call<{ session: { token: string }; user: { id: string }; passkey: { id: string } }>(
    server,
    'POST',
    '/api/registration/verify',
    {
      body: { response },
    },
  );
  if (done.status !== 201)
    throw new Error(`registration verify: ${done.status} ${JSON.stringify(done.json)}`);
  return { token: done.json.session.token, userId: done.json.user.id, credentialId: done.json.passkey.id };
}

export async function addPasskey(
  server: RunningServer,
  auth: SoftAuthenticator,
  token: string,
): Promise<Reply<{ passkey: { id: string }; code?: string }>> {
  const options = await call<PublicKeyCredentialCreationOptionsJSON>(
    server,
    'POST',
    '/api/registration/options',
    { body: {}, token },
  );
  const response = auth.register(options.json, server.origin);
  return call(server, 'POST', '/api/registration/verify', { body: { response }, token });
}

export async function authOptions(
  server: RunningServer,
  username?: string,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const r = await call<PublicKeyCredentialRequestOptionsJSON>(server, 'POST', '/api/authentication/options', {
    body: username ? { username } : {},
  });
  if (r.status !== 200) throw new Error(`authentication options: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

export async function verifyAssertion(
  server: RunningServer,
  response: AuthenticationResponseJSON | Record<string, unknown>,
) {
  return call<{
    token: string;
    code: string;
    message: string;
    user: { id: string; name: string };
    details?: { credentialId?: string };
  }>(server, 'POST', '/api/authentication/verify', { body: { response } });
}

export async function signIn(
  server: RunningServer,
  auth: SoftAuthenticator,
  username?: string,
): Promise<SignedIn> {
  const options = await authOptions(server, username);
  const response = auth.authenticate(options, server.origin);
  const r = await verifyAssertion(server, response);
  if (r.status !== 200) throw new Error(`sign-in: ${r.status} ${JSON.stringify(r.json)}`);
  return { token: r.json.token, userId: r.json.user.id, credentialId: response.id };
}

/** Everything a rejected request must leave unchanged. */
export async function snapshot(server: RunningServer): Promise<unknown> {
  const db = server.db;
  return {
    users: await db.selectFrom('users').selectAll().orderBy('id').execute(),
    credentials: await db.selectFrom('credentials').selectAll().orderBy('id').execute(),
    sessions: await db
      .selectFrom('sessions')
      .select(['user_id', 'revoked_at', 'expires_at'])
      .orderBy('token_hash')
      .execute(),
    codes: await db.selectFrom('desktop_codes').select('user_id').execute(),
  };
}

export class ManualClock {
  constructor(public ms = Date.UTC(2026, 0, 1)) {}
  now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export type { RegistrationResponseJSON };
