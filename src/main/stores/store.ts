import { PasskeyDeskError } from '../../shared/errors';
import type { ManualSteps, Passkey, StoreInfo, StoreKind } from '../../shared/model';

/**
 * What a store operation may need from the person in front of the machine. Shells (Electron, CLI, tests)
 * provide it; stores never prompt by themselves.
 */
export interface OperationContext {
  /**
   * A security key's PIN, held only for this operation and never written anywhere. A store that needs a PIN
   * and gets none throws PasskeyDeskError('PIN_REQUIRED').
   */
  pin?: string;
  /** Called while a device waits for a touch ("touch your key"). */
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
}

/**
 * One passkey store. Every store lists; the rest is optional and announced in `info().capabilities`.
 * A store never throws at import or construction time: per-OS stores report `unavailable` with a reason.
 */
export interface PasskeyStore {
  readonly id: string;
  readonly kind: StoreKind;
  readonly label: string;
  info(ctx?: OperationContext): Promise<StoreInfo>;
  /** Lists the passkeys. Throws PasskeyDeskError (STORE_UNAVAILABLE, PIN_REQUIRED, …) when it cannot. */
  list(ctx?: OperationContext): Promise<Passkey[]>;
  /** Deletes one passkey. Callers journal first (see Journal); stores do the deed only. */
  delete?(credentialId: string, ctx?: OperationContext): Promise<void>;
  rename?(credentialId: string, change: RenameChange, ctx?: OperationContext): Promise<Passkey>;
  /**
   * Where one passkey is managed when it differs from the store's own steps (Windows lists passkeys that a
   * password manager holds: those are deleted there). Without it, `info().manage`.
   */
  manageFor?(passkey: Passkey): ManualSteps;
}

/**
 * A passkey the store lists but will not delete from here (`removable` false): says who holds it and where to
 * delete it, with those steps in `details.manage`.
 */
export async function notRemovable(store: PasskeyStore, passkey: Passkey): Promise<PasskeyDeskError> {
  const manage = store.manageFor?.(passkey) ?? (await store.info()).manage;
  const holder = passkey.providerName && passkey.providerName !== store.label ? passkey.providerName : null;
  return new PasskeyDeskError(
    'NOT_REMOVABLE',
    `${store.label} says the passkey for ${passkey.rpId} cannot be removed from here${holder ? ` (it is held by ${holder})` : ''}. ${manage ? manage.steps.join(' ') : `Delete it in ${holder ?? store.label} itself.`}`,
    { manage, rpId: passkey.rpId, ...(holder ? { provider: holder } : {}) },
  );
}

export interface RenameChange {
  /** Local nickname (vault). */
  nickname?: string | null;
  /** User name / display name (security keys: CTAP updateUserInformation). */
  userName?: string;
  userDisplayName?: string;
}

/** A source of stores whose number changes at run time (one store per plugged-in security key, per import). */
export interface StoreProvider {
  stores(): Promise<PasskeyStore[]>;
  /**
   * What the inventory shows when `stores()` fails (a damaged records file): one store in `error` with the
   * reason, so the stores do not silently vanish. Providers without it are left out on failure.
   */
  readonly whenUnreadable?: Pick<StoreInfo, 'id' | 'kind' | 'label'>;
}

export function unavailableInfo(
  base: Pick<StoreInfo, 'id' | 'kind' | 'label'>,
  reason: string,
  manage: StoreInfo['manage'] = null,
  facts: StoreInfo['facts'] = {},
): StoreInfo {
  return {
    ...base,
    status: 'unavailable',
    reason,
    capabilities: { list: false, delete: false, rename: false, create: false, sign: false, restore: false },
    complete: false,
    count: null,
    manage,
    facts,
  };
}
