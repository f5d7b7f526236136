import { randomBytes } from 'node:crypto';
import { fromBase64url, toBase64url } from '../../../shared/base64url';
import { PasskeyDeskError } from '../../../shared/errors';
import type {
  AuthenticationResponseJSON,
  Passkey,
  RegistrationResponseJSON,
  StoreInfo,
  TrashEntry,
} from '../../../shared/model';
import { PASSKEY_DESK_AAGUID } from '../../../shared/aaguid';
import { withLock } from '../../fs/lock';
import type { PasskeyStore, RenameChange } from '../store';
import type { RetiredCredential } from '../../../shared/reconcile';
import { checkOriginForRpId, checkRpId } from './origin';
import { es256PublicFromPkcs8, generateEs256, newVaultKey, open, seal, signEs256 } from './vault-crypto';
import { VAULT_FORMAT_VERSION, loadVault, saveVault, vaultPath } from './vault-file';
import type { VaultFile, VaultRecord } from './vault-file';
import {
  assertionPayload,
  authenticationResponse,
  clientDataJSON,
  registrationResponse,
} from './webauthn-responses';
import { VAULT_LABEL, aad, find, toPasskey } from './vault-records';
import type { CreateInput, ImportInput, SignInput, VaultOptions } from './vault-types';

export type { CreateInput, ImportInput, SignInput, VaultOptions } from './vault-types';

/** Passkey Desk's own store: a software authenticator whose private keys are sealed under a keyring-held key. */
export class VaultStore implements PasskeyStore {
  readonly id = 'vault';
  readonly kind = 'vault' as const;
  readonly label = VAULT_LABEL;
  private readonly path: string;
  private readonly now: () => Date;
  /**
   * Vault keys read or made by this process, by the vault file's keyId: a vault.json replaced meanwhile (moved
   * away and started anew, restored from a backup) names another key, which must not be sealed with this one.
   */
  private readonly keys = new Map<string, Buffer>();
  /** The keyId of the vault file this process last used. */
  private lastKeyId: string | null = null;

  constructor(private readonly options: VaultOptions) {
    this.path = vaultPath(options.dataDir);
    this.now = options.now ?? (() => new Date());
  }

  async info(): Promise<StoreInfo> {
    const base = {
      id: this.id,
      kind: this.kind,
      label: this.label,
      manage: null,
      facts: { file: this.path, keyring: this.options.secrets.description },
    };
    try {
      const vault = await loadVault(this.path);
      const count = vault?.passkeys.filter((p) => !p.trashedAt).length ?? 0;
      return {
        ...base,
        status: 'available',
        reason: null,
        capabilities: { list: true, delete: true, rename: true, create: true, sign: true, restore: true },
        complete: true,
        count,
      };
    } catch (e) {
      const reason = e instanceof PasskeyDeskError ? e.message : String(e);
      return {
        ...base,
        status: 'error',
        reason,
        capabilities: {
          list: false,
          delete: false,
          rename: false,
          create: false,
          sign: false,
          restore: false,
        },
        complete: false,
        count: null,
      };
    }
  }

  async list(): Promise<Passkey[]> {
    const vault = await loadVault(this.path);
    return (vault?.passkeys ?? []).filter((r) => !r.trashedAt).map(toPasskey);
  }

  async trash(): Promise<TrashEntry[]> {
    const vault = await loadVault(this.path);
    return (vault?.passkeys ?? [])
      .filter((r) => r.trashedAt)
      .map((r) => ({ passkey: toPasskey(r), deletedAt: r.trashedAt! }));
  }

  /**
   * The passkeys this vault held and holds no longer: those in the trash and those purged from it. Reconciliation
   * needs them to tell a passkey deleted here (revoke it on the server) from one Passkey Desk made on another
   * computer (same AAGUID, never held here: leave it).
   */
  async retired(): Promise<RetiredCredential[]> {
    const vault = await loadVault(this.path);
    if (!vault) return [];
    return [
      ...vault.passkeys
        .filter((r) => r.trashedAt)
        .map((r) => ({ store: this.id, rpId: r.rpId, credentialId: r.credentialId, inTrash: true })),
      ...vault.purged.map((r) => ({ store: this.id, rpId: r.rpId, credentialId: r.credentialId })),
    ];
  }

  async get(credentialId: string): Promise<Passkey> {
    const vault = await loadVault(this.path);
    return toPasskey(find(vault, credentialId, 'any'));
  }

  async create(input: CreateInput): Promise<{ passkey: Passkey; registration: RegistrationResponseJSON }> {
    checkRpId(input.rpId);
    if (!input.userName.trim())
      throw new PasskeyDeskError('INVALID_INPUT', 'A user name is required (the account name on the site).');
    const origin = input.origin ?? `https://${input.rpId}`;
    checkOriginForRpId(input.rpId, origin);
    const userHandle = input.userHandle ?? toBase64url(randomBytes(32));
    if (fromBase64url(userHandle).length === 0 || fromBase64url(userHandle).length > 64) {
      throw new PasskeyDeskError(
        'INVALID_INPUT',
        'The user handle must be 1 to 64 bytes (WebAuthn user.id).',
      );
    }
    await this.options.verifier.verify(`create a passkey for ${input.userName} on ${input.rpId}`);
    return this.mutate(async (vault, key) => {
      const live = vault.passkeys.filter((r) => !r.trashedAt && r.rpId === input.rpId);
      const excluded = new Set(
        (input.excludeCredentialIds ?? []).map((id) => toBase64url(fromBase64url(id))),
      );
      const clash = live.find((r) => excluded.has(r.credentialId));
      if (clash) {
        throw new PasskeyDeskError(
          'ALREADY_REGISTERED',
          `You already have a passkey for ${input.rpId} in the Passkey Desk vault (${clash.userName}); use it, or remove it first.`,
          { credentialId: clash.credentialId },
        );
      }
      const credentialId = randomBytes(32);
      const id = toBase64url(credentialId);
      const { privateKeyPkcs8, publicKeyCose } = generateEs256();
      const record: VaultRecord = {
        credentialId: id,
        rpId: input.rpId,
        userHandle,
        userName: input.userName,
        userDisplayName: input.userDisplayName ?? input.userName,
        nickname: null,
        createdAt: this.now().toISOString(),
        lastUsedAt: null,
        signCount: 0,
        algorithm: -7,
        publicKey: toBase64url(publicKeyCose),
        privateKey: seal(key, privateKeyPkcs8, aad(id, input.rpId)),
        trashedAt: null,
        origin: 'created',
      };
      privateKeyPkcs8.fill(0);
      vault.passkeys.push(record);
      const registration = registrationResponse({
        rpId: input.rpId,
        aaguid: PASSKEY_DESK_AAGUID,
        credentialId,
        publicKeyCose,
        clientData: clientDataJSON(
          'webauthn.create',
          input.challenge ?? toBase64url(randomBytes(32)),
          origin,
        ),
        signCount: 0,
      });
      return { passkey: toPasskey(record), registration };
    });
  }

  /** An assertion for `rpId`, after user verification. Counters are persisted before the assertion is returned. */
  async sign(input: SignInput): Promise<{ passkey: Passkey; response: AuthenticationResponseJSON }> {
    checkRpId(input.rpId);
    checkOriginForRpId(input.rpId, input.origin);
    const allowed = input.allowCredentialIds?.length
      ? new Set(input.allowCredentialIds.map((id) => toBase64url(fromBase64url(id))))
      : null;
    const candidates = (await this.list()).filter(
      (p) => p.rpId === input.rpId && (!allowed || allowed.has(p.credentialId)),
    );
    if (candidates.length === 0) {
      throw new PasskeyDeskError(
        'NOT_FOUND',
        `The Passkey Desk vault holds no passkey for ${input.rpId}${allowed ? ' among the ones the site accepts' : ''}.`,
      );
    }
    // The most recently used one first, as platform authenticators do for usernameless sign-in.
    const chosen = candidates.sort((a, b) =>
      (b.lastUsedAt ?? b.createdAt ?? '').localeCompare(a.lastUsedAt ?? a.createdAt ?? ''),
    )[0]!;
    await this.options.verifier.verify(`sign in to ${input.rpId} as ${chosen.userName ?? 'your account'}`);
    return this.mutate(async (vault, key) => {
      const record = find(vault, chosen.credentialId, 'live');
      // A passkey made here keeps no counter (0, as synced passkeys do): the data folder may be backed up and
      // restored, or moved to another computer (README), and a copy whose count is behind the server's would be
      // refused as a clone, for good. One that arrived counting (an import continuing its exporter's counter)
      // goes on counting: a step back to 0 would be a regression at the server too.
      if (record.signCount > 0) record.signCount += 1;
      record.lastUsedAt = this.now().toISOString();
      const clientData = clientDataJSON('webauthn.get', input.challenge, input.origin);
      const { authData, toSign } = assertionPayload(record.rpId, record.signCount, clientData);
      const pkcs8 = open(key, record.privateKey, aad(record.credentialId, record.rpId));
      const signature = signEs256(pkcs8, toSign);
      pkcs8.fill(0);
      return {
        passkey: toPasskey(record),
        response: authenticationResponse({
          credentialId: record.credentialId,
          authData,
          clientData,
          signature,
          userHandle: record.userHandle,
        }),
      };
    });
  }

  async rename(credentialId: string, change: RenameChange): Promise<Passkey> {
    const nickname = change.nickname === undefined ? null : change.nickname?.trim() || null;
    if (nickname && nickname.length > 120)
      throw new PasskeyDeskError(
        'INVALID_INPUT',
        `A nickname has at most 120 characters (got ${nickname.length}).`,
      );
    return this.mutate(async (vault) => {
      const record = find(vault, credentialId, 'live');
      record.nickname = nickname;
      return toPasskey(record);
    }, false);
  }

  /** Moves a passkey to the trash; `restore` brings it back, `purge` destroys it. */
  async delete(credentialId: string): Promise<void> {
    await this.mutate(async (vault) => {
      find(vault, credentialId, 'live').trashedAt = this.now().toISOString();
    }, false);
  }

  async restore(credentialId: string): Promise<Passkey> {
    return this.mutate(async (vault) => {
      const record = find(vault, credentialId, 'trashed');
      const clash = vault.passkeys.find((r) => !r.trashedAt && r.credentialId === record.credentialId);
      if (clash)
        throw new PasskeyDeskError('CONFLICT', 'A live passkey with this credential ID already exists.');
      record.trashedAt = null;
      return toPasskey(record);
    }, false);
  }

  /** Destroys a trashed passkey's private key for good. Only passkeys already in the trash can be purged. */
  async purge(credentialId: string): Promise<Passkey> {
    return this.mutate(async (vault) => {
      const record = find(vault, credentialId, 'trashed');
      vault.passkeys = vault.passkeys.filter((r) => r !== record);
      vault.purged.push({
        credentialId: record.credentialId,
        rpId: record.rpId,
        purgedAt: this.now().toISOString(),
      });
      return toPasskey(record);
    }, false);
  }

  /**
   * Moves a batch of passkeys from one export (`source`, e.g. its file name) into the vault: one user
   * verification naming how many passkeys and where from, then one lock, one read of the vault file, one key
   * fetch and one write for the whole batch, so moving N passkeys costs O(N), not N whole-file rewrites.
   * Each passkey is checked on its own (private keys sealed like any vault key): one the vault cannot take (an RP ID it
   * cannot serve, a key that is not P-256, a credential ID it already holds, live or in the trash) comes back
   * refused with its reason, in input order, and the others still move. If the user declines verification,
   * the verifier's error is thrown and nothing is written.
   */
  async importPasskeys(
    inputs: readonly ImportInput[],
    source: string,
  ): Promise<({ ok: true; passkey: Passkey } | { ok: false; error: PasskeyDeskError })[]> {
    type Checked = { input: ImportInput; id: string; publicKeyCose: Uint8Array } | PasskeyDeskError;
    const checked: Checked[] = inputs.map((input) => {
      try {
        checkRpId(input.rpId);
        let id: string;
        try {
          id = toBase64url(fromBase64url(input.credentialId));
        } catch {
          throw new PasskeyDeskError(
            'INVALID_INPUT',
            `"${input.credentialId.slice(0, 40)}" is not a credential ID (expected base64url).`,
          );
        }
        return { input, id, publicKeyCose: es256PublicFromPkcs8(input.privateKeyPkcs8) };
      } catch (e) {
        if (e instanceof PasskeyDeskError) return e;
        throw e;
      }
    });
    const movable = checked.filter((c) => !(c instanceof PasskeyDeskError)).length;
    // Nothing the vault could take: no verification, no lock, no write; every refusal is reported.
    if (movable === 0) return checked.map((c) => ({ ok: false, error: c as PasskeyDeskError }));
    // Asked before the lock, as `create` does: the lock is not held while the user answers.
    await this.options.verifier.verify(
      `move ${movable} passkey${movable === 1 ? '' : 's'} from ${source} into the Passkey Desk vault`,
    );
    return this.mutate(async (vault, key) => {
      const held = new Set(vault.passkeys.map((r) => r.credentialId));
      return checked.map((c) => {
        if (c instanceof PasskeyDeskError) return { ok: false, error: c };
        const { input, id, publicKeyCose } = c;
        if (held.has(id)) {
          return {
            ok: false,
            error: new PasskeyDeskError(
              'CONFLICT',
              `The vault already holds credential ${id} (live or in the trash).`,
            ),
          };
        }
        const record: VaultRecord = {
          credentialId: id,
          rpId: input.rpId,
          userHandle: input.userHandle,
          userName: input.userName,
          userDisplayName: input.userDisplayName,
          nickname: null,
          createdAt: input.createdAt ?? this.now().toISOString(),
          lastUsedAt: null,
          signCount: input.signCount,
          algorithm: -7,
          publicKey: toBase64url(publicKeyCose),
          privateKey: seal(key, input.privateKeyPkcs8, aad(id, input.rpId)),
          trashedAt: null,
          origin: input.origin,
        };
        vault.passkeys.push(record);
        held.add(id);
        return { ok: true, passkey: toPasskey(record) };
      });
    });
  }

  /** Read-modify-write under the inter-process lock; the vault key is needed only for sealing or opening keys. */
  private async mutate<T>(fn: (vault: VaultFile, key: Buffer) => Promise<T>, needsKey = true): Promise<T> {
    // The keyring is asked before the lock is taken when the vault exists: a keyring that prompts (or a slow
    // daemon) then blocks no other process, and cannot outlast the lock's heartbeat. Inside the lock the key is
    // taken from the cache by the keyId read there; only a vault made or replaced meanwhile asks again.
    // Once the key is cached (every later call of this process) there is nothing to ask, and no extra read.
    if (needsKey && !(this.lastKeyId !== null && this.keys.has(this.lastKeyId))) {
      const before = await loadVault(this.path);
      if (before !== null && before.passkeys.length > 0) await this.vaultKey(before, false);
    }
    return withLock(this.options.dataDir, 'vault', async () => {
      const existing = await loadVault(this.path);
      const vault: VaultFile = existing ?? {
        format: 'passkey-desk-vault',
        version: VAULT_FORMAT_VERSION,
        keyId: toBase64url(randomBytes(12)),
        passkeys: [],
        purged: [],
      };
      const key = needsKey ? await this.vaultKey(vault, existing === null) : Buffer.alloc(0);
      const result = await fn(vault, key);
      await saveVault(this.path, vault);
      return result;
    });
  }

  private async vaultKey(vault: VaultFile, isNew: boolean): Promise<Buffer> {
    this.lastKeyId = vault.keyId;
    const cached = this.keys.get(vault.keyId);
    if (cached) return cached;
    const account = `vault-key:${vault.keyId}`;
    const stored = await this.options.secrets.get(account);
    let key: Buffer;
    if (stored) {
      key = Buffer.from(fromBase64url(stored));
    } else if (isNew || vault.passkeys.length === 0) {
      key = newVaultKey();
      await this.options.secrets.set(account, toBase64url(key));
    } else {
      throw new PasskeyDeskError(
        'KEY_MISSING',
        `The vault key "${account}" is missing from the ${this.options.secrets.description}, so the ${vault.passkeys.length} passkey(s) in ${this.path} cannot be used. ` +
          'Restore the keyring entry (or the keyring backup) from where the vault was created. The vault file was left untouched.',
        { path: this.path },
      );
    }
    this.keys.set(vault.keyId, key);
    return key;
  }
}
