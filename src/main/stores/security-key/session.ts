import { PasskeyDeskError } from '../../../shared/errors';
import type { OperationContext } from '../store';
import { PERMISSION, ensurePin, getPinRetries, getPinUvAuthToken } from './client-pin';
import type { PinRetries } from './client-pin';
import { CtapClient } from './ctap-client';
import { CtapStatusError, mapCtapStatus } from './ctap-status';
import { CtapHidChannel } from './ctaphid';
import type { CtapHidOptions } from './ctaphid';
import { CredentialManagement } from './credman';
import type { AuthenticatorInfo, KeyAbilities } from './get-info';
import type { HidBackend } from './hid';

export interface KeySession {
  client: CtapClient;
  info: AuthenticatorInfo;
  abilities: KeyAbilities;
}

export interface SessionOptions {
  backend: HidBackend;
  path: string;
  /** For messages: "YubiKey 5 Series". */
  label: string;
  ctx?: OperationContext | undefined;
  hid?: CtapHidOptions | undefined;
}

const TOUCH = 'Touch your security key to continue.';

/**
 * Opens the device, runs `run`, and always closes it: every store operation is one short session, so a key
 * that is unplugged between operations costs nothing, and no PIN token outlives the operation.
 */
export async function withKeySession<T>(
  opts: SessionOptions,
  run: (s: KeySession) => Promise<T>,
): Promise<T> {
  const conn = await opts.backend.open(opts.path);
  try {
    const channel = await CtapHidChannel.open(conn, opts.hid ?? {});
    const onProgress = opts.ctx?.onProgress;
    const client = new CtapClient(channel, {
      ...(opts.ctx?.signal ? { signal: opts.ctx.signal } : {}),
      onKeepalive: (status) => {
        if (status === 'user-presence-needed') onProgress?.(TOUCH);
      },
    });
    const info = await mapStatus(() => client.getInfo());
    return await run({ client, info, abilities: await client.abilities() });
  } finally {
    await conn.close().catch(() => undefined);
  }
}

/** Runs `run` with credential management unlocked by the PIN in `ctx`, then wipes the token. */
export async function withCredentialManagement<T>(
  session: KeySession,
  label: string,
  ctx: OperationContext | undefined,
  run: (cm: CredentialManagement) => Promise<T>,
): Promise<T> {
  const a = session.abilities;
  if (a.credMgmtCommand === null) throw cannotManage(session, label);
  if (a.pinSet === null) {
    throw new PasskeyDeskError(
      'UNSUPPORTED',
      `${label} has no PIN support, so it cannot unlock the list of its passkeys.`,
    );
  }
  if (a.pinSet === false) {
    throw mapCtapStatus(new CtapStatusError(0x35, 'clientPIN'));
  }
  const pin = ensurePin(ctx?.pin, label);
  const token = await getPinUvAuthToken(session.client, pin, {
    version: a.pinProtocol,
    withPermissions: a.tokenWithPermissions,
    permissions: PERMISSION.CM,
  });
  try {
    return await run(new CredentialManagement(session.client, a.credMgmtCommand, token));
  } finally {
    token.dispose();
  }
}

export async function readPinRetries(session: KeySession): Promise<PinRetries | null> {
  if (session.abilities.pinSet !== true) return null;
  try {
    return await getPinRetries(session.client, session.abilities.pinProtocol);
  } catch (e) {
    if (e instanceof CtapStatusError) return null;
    throw e;
  }
}

/** What a key that cannot manage credentials can still tell the person (CTAP 2.0 keys, U2F-only keys). */
export function cannotManage(session: KeySession, label: string): PasskeyDeskError {
  const level = session.abilities.level;
  const why =
    level === 'ctap2.0'
      ? `${label} speaks CTAP 2.0 only. CTAP 2.0 has no way to list, delete or rename the passkeys stored on a key: they can only be removed all at once by resetting the key (which erases everything). A firmware update, if the maker offers one, may add CTAP 2.1.`
      : `${label} does not offer credential management (getInfo lists neither credMgmt nor credentialMgmtPreview), so its passkeys cannot be listed or deleted one by one.`;
  return new PasskeyDeskError('UNSUPPORTED', why, { ctapLevel: level, versions: session.info.versions });
}

async function mapStatus<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof CtapStatusError) throw mapCtapStatus(e);
    throw e;
  }
}
