/**
 * Connected accounts: add (discover, then sign in with the vault, through the browser, or sign up with a new vault
 * passkey), list, refresh, sign in/out, remove, add a vault passkey. Records go to accounts.json; tokens only to
 * the keyring. Revoking needs a recent user-verified sign-in: `withConnector(..., { reauth: true })` signs in
 * again with the vault when the server asks for it and the vault can.
 */
import { randomBytes } from 'node:crypto';
import type { AccountRefresh, AccountView, SignInMethod } from '../../shared/contract/accounts';
import { PasskeyDeskError, toErrorInfo } from '../../shared/errors';
import type { Passkey } from '../../shared/model';
import type { ServerCredential } from '../../shared/reconcile';
import { credentialKey } from '../../shared/reconcile/credentialKey';
import type { SecretStore } from '../keyring';
import { AccountRecords } from './account-records';
import { desktopLogin, REPLACED } from './desktop-login';
import { discover } from './discovery';
import { requestJson } from './http';
import { ReferenceServerConnector } from './reference-connector';
import { SessionTokens } from './sessions';
import type { AccountConnector, AccountRecord, Discovery } from './types';
import { registerVaultPasskey, signInWithVault } from './vault-ceremonies';
import type { VaultCeremonies } from './vault-ceremonies';

export const VAULT_PASSKEY_NAME = 'Passkey Desk vault';

export interface AccountsDeps {
  dataDir: string;
  secrets: SecretStore;
  vault: VaultCeremonies;
  now: () => Date;
  openBrowser: (url: string) => Promise<void>;
  /** Journals and trashes a vault passkey (used when a server refuses a passkey the vault just made). */
  discardVaultPasskey: (credentialId: string) => Promise<unknown>;
}

export interface AddAccountInput {
  serverUrl: string;
  method: SignInMethod | 'create';
  userName?: string;
  displayName?: string;
}

interface Session {
  token: string;
  expiresAt: string | null;
}

const RETRY_WITH_VAULT = new Set(['RECENT_SIGN_IN_REQUIRED', 'SESSION_EXPIRED', 'NOT_SIGNED_IN']);

export class AccountsService {
  readonly records: AccountRecords;
  readonly sessions: SessionTokens;
  /** The browser sign-in waiting for its redirect, if any: one at a time, cancellable from the app. */
  private browserSignIn: AbortController | null = null;

  constructor(private readonly d: AccountsDeps) {
    this.records = new AccountRecords(d.dataDir);
    this.sessions = new SessionTokens(d.secrets, d.now);
  }

  async list(): Promise<AccountView[]> {
    return Promise.all((await this.records.list()).map((r) => this.view(r)));
  }

  async get(id: string): Promise<AccountRecord> {
    return this.records.get(id);
  }

  async add(input: AddAccountInput): Promise<AccountView> {
    const server = await discover(input.serverUrl);
    // Read before signing up: a damaged accounts.json must stop a sign-up before it creates anything.
    await this.records.list();
    let session: Session;
    switch (input.method) {
      case 'create': {
        const userName = required(input.userName, 'Signing up');
        const made = await this.register(server, {
          token: null,
          userName,
          ...(input.displayName ? { displayName: input.displayName } : {}),
        }).catch((e: unknown) => {
          throw nameTaken(e, server.serverUrl, userName) ?? e;
        });
        if (!made.session)
          throw new PasskeyDeskError(
            'SERVER_ERROR',
            `${server.serverUrl} created the account but returned no session; sign in with: passkey-desk accounts add ${server.serverUrl} --user ${userName}`,
          );
        session = made.session;
        break;
      }
      case 'vault':
        session = await signInWithVault(
          this.d.vault,
          server,
          required(input.userName, 'Signing in with the vault'),
        );
        break;
      case 'browser':
        session = await this.browserSession(server);
        break;
    }
    // A session that cannot be kept here is signed out there, not left live.
    const discard = async (e: unknown): Promise<never> => {
      await this.discardToken(server, session.token);
      throw e;
    };
    if (input.method !== 'create') return this.connect(server, session, input.method).catch(discard);
    return this.connect(server, session, 'vault').catch((e: unknown) =>
      // The account and its vault passkey exist now: say so, and how to connect it once the cause is fixed.
      discard(
        e instanceof PasskeyDeskError
          ? new PasskeyDeskError(
              e.code,
              `${e.message} The account ${input.userName ?? ''} was created at ${server.serverUrl} and its passkey is in the vault, but it is not connected here yet; once that is fixed, connect it with: passkey-desk accounts add ${server.serverUrl} --user ${input.userName ?? 'NAME'}`,
              e.details,
            )
          : e,
      ),
    );
  }

  /** Keeps the account (one per user of one RP) and its session token. */
  private async connect(server: Discovery, session: Session, method: SignInMethod): Promise<AccountView> {
    const me = await new ReferenceServerConnector(server, async () => session.token).currentUserDetails();
    // One account per user of one relying party: the same server reached by another address (127.0.0.1 and
    // localhost, a path) announces the same web origin and RP ID, and is not a second account.
    const existing = (await this.records.list()).find(
      (r) => r.origin === server.origin && r.rpId === server.rpId && r.userHandle === me.userId,
    );
    const record: AccountRecord = {
      ...server,
      id: existing?.id ?? `acct-${randomBytes(5).toString('hex')}`,
      connector: 'reference-server',
      userName: me.name,
      userDisplayName: me.displayName || null,
      userHandle: me.userId,
      addedAt: existing?.addedAt ?? this.d.now().toISOString(),
    };
    await this.records.put(record);
    try {
      await this.keepSession(record, session, method);
    } catch (e) {
      if (!existing) await this.records.remove(record.id);
      throw e;
    }
    return this.view(record);
  }

  async signIn(id: string, method: SignInMethod): Promise<AccountView> {
    const record = await this.records.get(id);
    if (method === 'browser') {
      // Before opening a browser and waiting minutes for it: a server that does not answer says so now.
      await requestJson(`${record.serverUrl}/api`);
    }
    const session = method === 'vault' ? await this.vaultSession(record) : await this.browserSession(record);
    const me = await new ReferenceServerConnector(record, async () => session.token).currentUserDetails();
    if (me.userId !== record.userHandle) {
      await this.discardToken(record, session.token);
      throw new PasskeyDeskError(
        'CONFLICT',
        `That sign-in was for "${me.name}", but this account is "${record.userName}". Sign in as ${record.userName}, or add "${me.name}" as another account.`,
      );
    }
    await this.keepSession(record, session, method).catch(async (e: unknown) => {
      await this.discardToken(record, session.token);
      throw e;
    });
    return this.view(record);
  }

  /**
   * Keeps `session` as the account's. The session it replaces is signed out on the server (best effort): a
   * token Passkey Desk no longer holds must not stay live there until it expires.
   */
  private async keepSession(record: AccountRecord, session: Session, method: SignInMethod): Promise<void> {
    const before = await this.sessions.get(record.id).catch(() => null);
    await this.sessions.set(record.id, { token: session.token, expiresAt: session.expiresAt, method });
    if (before !== null && before.token !== session.token) await this.discardToken(record, before.token);
  }

  /** Signs a token out on the server, best effort (it may have expired, or the server may be unreachable). */
  private async discardToken(server: Discovery, token: string): Promise<void> {
    await new ReferenceServerConnector(server, async () => token).signOut().catch(() => undefined);
  }

  /**
   * Stops the browser sign-in Passkey Desk is waiting for (the user closed the tab, or changed their mind): the
   * waiting `add` or `signIn` fails with USER_CANCELLED and its loopback listener closes. False when none waits.
   */
  cancelBrowserSignIn(): { cancelled: boolean } {
    const waiting = this.browserSignIn;
    if (waiting === null) return { cancelled: false };
    waiting.abort();
    return { cancelled: true };
  }

  /** A desktop login; a second one started while one waits replaces it (the first is cancelled). */
  private async browserSession(server: Discovery): Promise<Session> {
    this.browserSignIn?.abort(REPLACED);
    const controller = new AbortController();
    this.browserSignIn = controller;
    try {
      return await desktopLogin(server, {
        openBrowser: this.d.openBrowser,
        now: this.d.now,
        signal: controller.signal,
      });
    } finally {
      if (this.browserSignIn === controller) this.browserSignIn = null;
    }
  }

  async signOut(id: string): Promise<AccountView & { sessionLeftOpen: boolean }> {
    const record = await this.records.get(id);
    const ended = await this.endSession(record);
    return { ...(await this.view(record)), sessionLeftOpen: ended === 'left-open' };
  }

  async remove(id: string): Promise<{ accountId: string; signedOut: boolean; sessionLeftOpen: boolean }> {
    const record = await this.records.get(id);
    const ended = await this.endSession(record);
    await this.records.remove(id);
    return { accountId: id, signedOut: ended === 'signed-out', sessionLeftOpen: ended === 'left-open' };
  }

  async refresh(id?: string): Promise<AccountRefresh[]> {
    const records = id === undefined ? await this.records.list() : [await this.records.get(id)];
    const out: AccountRefresh[] = [];
    for (const record of records) {
      try {
        const c = this.connector(record);
        const me = await c.currentUserDetails();
        const updated: AccountRecord = {
          ...record,
          userName: me.name,
          userDisplayName: me.displayName || null,
        };
        if (updated.userName !== record.userName || updated.userDisplayName !== record.userDisplayName)
          await this.records.put(updated);
        out.push({
          account: await this.view(updated),
          credentials: (await c.listCredentials()).length,
          error: null,
        });
      } catch (e) {
        out.push({ account: await this.view(record), credentials: null, error: toErrorInfo(e) });
      }
    }
    return out;
  }

  async addVaultPasskey(
    id: string,
    name = VAULT_PASSKEY_NAME,
  ): Promise<{ passkey: Passkey; server: ServerCredential }> {
    const record = await this.records.get(id);
    // Adding a passkey needs a recent sign-in, as revoking does. The vault cannot help here (it signs in only
    // with a passkey the server lists, and then refuses to make a second one), so the advice says to sign in.
    const token = await this.sessions.token(id, record.userName);
    const made = await this.register(record, { token, name });
    return { passkey: made.passkey, server: made.server };
  }

  /**
   * Before a vault passkey's key is destroyed: throws STILL_ACCEPTED when a connected account of its user at its
   * RP still accepts it (asked from the server now), or when such an account could not be asked.
   */
  async assertNotAccepted(passkey: Passkey): Promise<void> {
    const override = `passkey-desk vault purge ${passkey.credentialId} --yes --override still-accepted`;
    const key = credentialKey(passkey.credentialId);
    const handle = passkey.userHandle === null ? null : credentialKey(passkey.userHandle);
    const mine = (await this.records.list()).filter(
      (r) => r.rpId === passkey.rpId && credentialKey(r.userHandle) === handle,
    );
    for (const record of mine) {
      const who = `${record.userName} at ${record.serverUrl}`;
      let ids: string[];
      try {
        ids = (await this.connector(record).acceptedCredentials()).allAcceptedCredentialIds.map(
          credentialKey,
        );
      } catch (e) {
        const cause = toErrorInfo(e);
        throw new PasskeyDeskError(
          'STILL_ACCEPTED',
          `Nothing was purged: Passkey Desk could not ask ${who} whether it still accepts this passkey. ${cause.message} Once it can, purge again; or purge it anyway, knowing the account may be left without a usable passkey: ${override}`,
          {
            accountId: record.id,
            userName: record.userName,
            serverUrl: record.serverUrl,
            asked: false,
            cause,
          },
        );
      }
      if (!ids.includes(key)) continue;
      throw new PasskeyDeskError(
        'STILL_ACCEPTED',
        `${who} still accepts this passkey${ids.length === 1 ? ' and no other: purging its key would leave no way to sign in there' : ` (one of ${ids.length})`}. Nothing was purged. Restore it (passkey-desk vault restore ${passkey.credentialId}), or ${ids.length === 1 ? 'add another passkey to the account and then revoke this one on the server' : 'revoke it on the server first (passkey-desk prune)'}; to purge it anyway: ${override}`,
        {
          accountId: record.id,
          userName: record.userName,
          serverUrl: record.serverUrl,
          asked: true,
          accepted: ids.length,
        },
      );
    }
  }

  /** The connector for an account, reading its token from the keyring on each call. */
  connector(record: AccountRecord): AccountConnector {
    return new ReferenceServerConnector(record, () => this.sessions.token(record.id, record.userName));
  }

  /**
   * Runs `fn` against the account's server; when the server wants a (recent) sign-in and the vault holds a passkey
   * for this account, signs in with the vault (the user verifies) and runs `fn` once more.
   */
  async withConnector<T>(
    record: AccountRecord,
    fn: (c: AccountConnector) => Promise<T>,
    options: { reauth: boolean },
  ): Promise<T> {
    const c = this.connector(record);
    try {
      return await fn(c);
    } catch (e) {
      if (
        !options.reauth ||
        !(e instanceof PasskeyDeskError) ||
        !RETRY_WITH_VAULT.has(e.code) ||
        !(await this.vaultCanSignIn(record))
      )
        throw e;
      const session = await this.vaultSession(record);
      await this.keepSession(record, session, 'vault');
      return fn(c);
    }
  }

  async view(record: AccountRecord): Promise<AccountView> {
    // A keyring that cannot be reached or is locked is an error, not "signed out": get() already reads a damaged
    // or expired entry as no session, and anything it throws is the keyring's.
    const session = await this.sessions.get(record.id);
    return {
      id: record.id,
      serverUrl: record.serverUrl,
      rpId: record.rpId,
      origin: record.origin,
      rpName: record.rpName,
      userName: record.userName,
      userDisplayName: record.userDisplayName,
      userHandle: record.userHandle,
      enroll: record.enroll,
      manage: record.manage,
      connector: record.connector,
      addedAt: record.addedAt,
      signedIn: session !== null,
      sessionExpiresAt: session?.expiresAt ?? null,
      signedInWith: session?.method ?? null,
    };
  }

  private async vaultCanSignIn(record: AccountRecord): Promise<boolean> {
    return (await this.d.vault.list()).some(
      (p) => p.rpId === record.rpId && p.userHandle === record.userHandle,
    );
  }

  private async vaultSession(record: AccountRecord): Promise<Session> {
    const s = await signInWithVault(this.d.vault, record, record.userName);
    if (s.user.id !== record.userHandle) {
      await this.discardToken(record, s.token);
      throw new PasskeyDeskError(
        'CONFLICT',
        `The vault signed in as "${s.user.name}", not as this account's "${record.userName}".`,
      );
    }
    return s;
  }

  /** Signs out on the server (best effort) and always forgets the token. True when the server confirmed it. */
  /**
   * Signs out on the server and forgets the token. `left-open`: the server could not be told (unreachable, or
   * it failed), so the session there lives on until it expires; the token is forgotten here either way.
   */
  private async endSession(record: AccountRecord): Promise<'signed-out' | 'none' | 'left-open'> {
    let ended: 'signed-out' | 'none' | 'left-open' = 'none';
    if (await this.sessions.get(record.id)) {
      try {
        await this.connector(record).signOut();
        ended = 'signed-out';
      } catch (e) {
        // Already expired or revoked: nothing is left open.
        const code = e instanceof PasskeyDeskError ? e.code : null;
        if (code !== 'NOT_SIGNED_IN' && code !== 'SESSION_EXPIRED') ended = 'left-open';
      }
    }
    await this.sessions.delete(record.id);
    return ended;
  }

  private async register(
    server: Discovery,
    input: { token: string | null; userName?: string; displayName?: string; name?: string },
  ) {
    try {
      return await registerVaultPasskey(this.d.vault, server, {
        ...input,
        name: input.name ?? VAULT_PASSKEY_NAME,
      });
    } catch (e) {
      // The vault may hold a passkey the server refused: move it to the trash (journaled, restorable).
      const stray =
        e instanceof PasskeyDeskError ? (e.details?.createdCredentialId as string | undefined) : undefined;
      if (stray) await this.d.discardVaultPasskey(stray).catch(() => undefined);
      throw e;
    }
  }
}

function required(value: string | undefined, what: string): string {
  if (!value)
    throw new PasskeyDeskError('INVALID_INPUT', `${what} needs the user name on that server (--user NAME).`);
  return value;
}

/**
 * Signing up with a user name the server already has: the account may well be the user's own, so say how to
 * connect it (sign in) as well as how to sign up under another name. Null for any other error.
 */
function nameTaken(e: unknown, serverUrl: string, userName: string): PasskeyDeskError | null {
  if (!(e instanceof PasskeyDeskError) || e.code !== 'CONFLICT') return null;
  if ((e.details as { serverCode?: unknown } | undefined)?.serverCode !== 'CONFLICT') return null;
  return new PasskeyDeskError(
    'CONFLICT',
    `${serverUrl} already has an account named "${userName}". If it is yours, connect it by signing in instead of signing up: with its passkey in this vault (passkey-desk accounts add ${serverUrl} --user ${userName}) or with a passkey held elsewhere, through the browser (--browser). Otherwise choose another user name.`,
    e.details,
  );
}
