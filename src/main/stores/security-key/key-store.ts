import { fromBase64url, normaliseBase64url, toBase64url } from '../../../shared/base64url';
import { PasskeyDeskError, isPasskeyDeskError } from '../../../shared/errors';
import type { ErrorCode } from '../../../shared/errors';
import type { Passkey, StoreInfo } from '../../../shared/model';
import { unavailableInfo } from '../store';
import type { OperationContext, PasskeyStore, RenameChange } from '../store';
import { WINDOWS_ADMIN_STEPS } from './node-hid-backend';
import type { CredentialManagement } from './credman';
import type { CredentialEntry, CredsMetadata, RpEntry } from './credman-parse';
import type { CtapHidOptions } from './ctaphid';
import type { HidBackend, HidDeviceInfo } from './hid';
import { cannotManage, readPinRetries, withCredentialManagement, withKeySession } from './session';
import type { KeySession } from './session';
import { describeKey, productNameForAaguid } from './key-facts';
import type { SecurityKeyFacts } from './key-facts';

const SHOWN_AS_UNAVAILABLE = new Set<ErrorCode>([
  'NEEDS_ADMIN',
  'STORE_UNAVAILABLE',
  'DEVICE_REMOVED',
  'UNSUPPORTED',
]);

export interface SecurityKeyStoreOptions {
  backend: HidBackend;
  device: HidDeviceInfo;
  id: string;
  hid?: CtapHidOptions | undefined;
}

/**
 * One plugged-in FIDO2 key as a passkey store. Every call opens the key, does one job and closes it; the PIN
 * comes in the OperationContext, is turned into a pinUvAuthToken with the `cm` permission (CTAP 2.1 §6.5.5.7)
 * and both are dropped when the call ends.
 */
export class SecurityKeyStore implements PasskeyStore {
  readonly kind = 'security-key' as const;
  readonly id: string;
  label: string;
  /** Slot counts from the last getCredsMetadata (read during list(), which has the PIN). */
  private metadata: CredsMetadata | null = null;
  /** One operation at a time per key: a second channel would only get CTAPHID_ERR_CHANNEL_BUSY from the key. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: SecurityKeyStoreOptions) {
    this.id = opts.id;
    this.label = opts.device.product ?? 'Security key';
  }

  /**
   * Device facts for "keys list" and info(). Never uses the PIN, so reading facts can never spend a PIN retry;
   * slot counts come from getInfo (CTAP 2.1 remainingDiscoverableCredentials) or the last list().
   */
  async describe(ctx?: OperationContext): Promise<SecurityKeyFacts> {
    return this.session(ctx, async (s) => {
      const retries = await readPinRetries(s);
      const facts = describeKey(
        this.id,
        this.opts.device,
        s,
        retries,
        this.metadata?.existing ?? null,
        this.metadata?.remaining ?? s.info.remainingDiscoverableCredentials,
      );
      this.label = facts.label;
      return facts;
    });
  }

  /**
   * Never throws for what the inventory should show as a state (it reads every store in parallel and one bad
   * key must not fail it): no administrator rights, a key that cannot be opened, was unplugged, is busy or cannot
   * manage credentials. It never uses the PIN either: readInventory calls info() then list(), and a wrong PIN
   * must cost one retry, not two.
   */
  async info(ctx?: OperationContext): Promise<StoreInfo> {
    let facts: SecurityKeyFacts;
    try {
      facts = await this.describe(ctx);
    } catch (e) {
      if (!isPasskeyDeskError(e) || e.code === 'INTERNAL') throw e;
      const manage =
        e.code === 'NEEDS_ADMIN'
          ? { steps: [...WINDOWS_ADMIN_STEPS], link: 'ms-settings:signinoptions' }
          : null;
      const base = unavailableInfo({ id: this.id, kind: this.kind, label: this.label }, e.message, manage, {
        errorCode: e.code,
      });
      return SHOWN_AS_UNAVAILABLE.has(e.code)
        ? base
        : { ...base, status: e.code === 'STORE_LOCKED' ? 'locked' : 'error' };
    }
    const manageable = facts.canList;
    const base = { id: this.id, kind: this.kind, label: facts.label };
    const status: StoreInfo['status'] = !manageable
      ? 'unavailable'
      : facts.pinBlocked
        ? 'locked'
        : facts.pinSet && ctx?.pin === undefined
          ? 'needs-pin'
          : 'available';
    const flat: Record<string, string | number | boolean> = {};
    for (const [k, v] of Object.entries(facts))
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') flat[k] = v;
    flat['versions'] = facts.versions.join(', ');
    return {
      ...base,
      status,
      reason: facts.limitations.length > 0 ? facts.limitations.join(' ') : null,
      capabilities: {
        list: manageable,
        delete: manageable,
        rename: facts.canRename,
        create: false,
        sign: false,
        restore: false,
      },
      complete: manageable,
      count: facts.existingCredentials,
      manage: null,
      facts: flat,
    };
  }

  async list(ctx?: OperationContext): Promise<Passkey[]> {
    return this.session(ctx, (s) =>
      this.managed(s, ctx, async (cm) => {
        this.metadata = await cm.metadata();
        const groups = await cm.enumerateAll((done, total) =>
          ctx?.onProgress?.(`Reading sites on the key: ${done} of ${total}`),
        );
        return groups.flatMap((g) => g.credentials.map((c) => this.toPasskey(s, g.rp, c)));
      }),
    );
  }

  async delete(credentialId: string, ctx?: OperationContext): Promise<void> {
    const wanted = parseCredentialId(credentialId);
    await this.session(ctx, (s) =>
      this.managed(s, ctx, async (cm) => {
        const found = await findCredential(cm, wanted, this.label);
        await cm.deleteCredential(found.cred.descriptor);
        this.metadata = await cm.metadata();
      }),
    );
  }

  async rename(credentialId: string, change: RenameChange, ctx?: OperationContext): Promise<Passkey> {
    if (change.userName === undefined && change.userDisplayName === undefined) {
      throw new PasskeyDeskError(
        'INVALID_INPUT',
        'A security key stores only a user name and a display name; give at least one of them (nicknames live in Passkey Desk, not on the key).',
      );
    }
    const wanted = parseCredentialId(credentialId);
    return this.session(ctx, async (s) => {
      if (s.abilities.credMgmtCommand !== null && !s.abilities.canUpdateUser) {
        throw new PasskeyDeskError(
          'UNSUPPORTED',
          `${this.label} implements the CTAP 2.1 preview of credential management, which has no updateUserInformation: names can be read and passkeys deleted, but names cannot be changed on this key.`,
        );
      }
      return this.managed(s, ctx, async (cm) => {
        const { rp, cred } = await findCredential(cm, wanted, this.label);
        const updated: CredentialEntry = {
          ...cred,
          userName: change.userName ?? cred.userName,
          userDisplayName: change.userDisplayName ?? cred.userDisplayName,
        };
        await cm.updateUser(cred.descriptor, {
          id: cred.userId,
          name: updated.userName,
          displayName: updated.userDisplayName,
        });
        return this.toPasskey(s, rp, updated);
      });
    });
  }

  private session<T>(ctx: OperationContext | undefined, run: (s: KeySession) => Promise<T>): Promise<T> {
    const next = this.queue.then(() => this.openSession(ctx, run));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private openSession<T>(ctx: OperationContext | undefined, run: (s: KeySession) => Promise<T>): Promise<T> {
    return withKeySession(
      { backend: this.opts.backend, path: this.opts.device.path, label: this.label, ctx, hid: this.opts.hid },
      (s) => {
        // The AAGUID names the model better than the USB product string ("YubiKey 5 Series with NFC").
        this.label = productNameForAaguid(s.info.aaguid) ?? this.label;
        return run(s);
      },
    );
  }

  private managed<T>(
    s: KeySession,
    ctx: OperationContext | undefined,
    run: (cm: CredentialManagement) => Promise<T>,
  ): Promise<T> {
    if (s.abilities.credMgmtCommand === null) throw cannotManage(s, this.label);
    return withCredentialManagement(s, this.label, ctx, run);
  }

  private toPasskey(s: KeySession, rp: RpEntry, c: CredentialEntry): Passkey {
    return {
      store: this.id,
      storeKind: 'security-key',
      credentialId: toBase64url(c.credentialId),
      rpId: rp.rpId,
      userHandle: toBase64url(c.userId),
      userName: c.userName,
      userDisplayName: c.userDisplayName,
      nickname: null,
      createdAt: null,
      lastUsedAt: null,
      algorithm: c.algorithm,
      aaguid: s.info.aaguid,
      providerName: this.label,
      backupEligible: false,
      backedUp: false,
      discoverable: true,
      removable: true,
    };
  }
}

/** A credential ID as typed by a person: base64url, or standard base64 as fido2-token prints it. */
export function parseCredentialId(text: string): string {
  let id: string;
  try {
    id = normaliseBase64url(text.trim());
  } catch {
    id = '';
  }
  if (id.length === 0) {
    throw new PasskeyDeskError(
      'INVALID_INPUT',
      `"${text}" is not a credential ID: expected base64url (or base64) text as shown by \`passkey-desk keys credentials\`.`,
    );
  }
  return id;
}

/** Finds a credential by id, keeping the descriptor the key sent (it must be sent back verbatim). */
async function findCredential(
  cm: CredentialManagement,
  wanted: string,
  label: string,
): Promise<{ rp: RpEntry; cred: CredentialEntry }> {
  const wantedBytes = fromBase64url(wanted);
  for (const rp of await cm.enumerateRps()) {
    for (const cred of await cm.enumerateCredentials(rp.rpIdHash)) {
      if (Buffer.compare(Buffer.from(cred.credentialId), Buffer.from(wantedBytes)) === 0) return { rp, cred };
    }
  }
  throw new PasskeyDeskError(
    'NOT_FOUND',
    `No passkey with credential ID ${wanted} is on ${label} (it may have been deleted already). Refresh the list.`,
    {
      credentialId: wanted,
    },
  );
}
