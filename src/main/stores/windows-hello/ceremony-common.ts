import { PasskeyDeskError } from '../../../shared/errors';
import { InputArena } from './arena';
import { hresultError } from './hresult';
import { toAddress } from './koffi-memory';
import type { ExportName, WebAuthnLibrary } from './library';

/** What every ceremony call needs besides its own parameters. */
export interface CeremonyContext {
  /** The owner window's HWND value (see toHwnd); 0n lets Windows pick the foreground window. */
  hwnd: bigint;
  timeoutMs: number;
  /** Aborting cancels the Windows Security dialog through WebAuthNCancelCurrentOperation. */
  signal?: AbortSignal;
}

/**
 * The HWND as the integer the API expects. Electron's BrowserWindow.getNativeWindowHandle() returns a Buffer that
 * *holds* the handle: passing the Buffer itself would pass its address (os-apis.md §1.0 "HWND").
 */
export function toHwnd(handle: Buffer | bigint | null | undefined): bigint {
  if (handle === null || handle === undefined) return 0n;
  if (typeof handle === 'bigint') return handle;
  if (handle.length === 8) return handle.readBigInt64LE(0);
  if (handle.length === 4) return BigInt(handle.readInt32LE(0));
  throw new PasskeyDeskError('INTERNAL', `A native window handle is 4 or 8 bytes; got ${handle.length}.`);
}

/** A cancellation GUID for the options struct, wired to `signal`; null when there is no signal. */
export function cancellation(
  lib: WebAuthnLibrary,
  arena: InputArena,
  signal: AbortSignal | undefined,
): { guid: Buffer; detach: () => void } | null {
  if (!signal || !lib.supports('WebAuthNGetCancellationId')) return null;
  const guid = arena.struct(16);
  const hr = Number(lib.call('WebAuthNGetCancellationId', guid));
  if (hr !== 0) return null; // the dialog still works; it just cannot be cancelled from here
  const onAbort = (): void => {
    lib.call('WebAuthNCancelCurrentOperation', guid);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  return { guid, detach: () => signal.removeEventListener('abort', onAbort) };
}

/**
 * Runs a blocking ceremony export on koffi's worker thread and hands its result pointer to `decode`, then frees it
 * with `free` exactly once (also when decoding throws).
 */
export async function runCeremony<T>(
  lib: WebAuthnLibrary,
  call: { name: ExportName; free: ExportName; action: string; args: unknown[] },
  signal: AbortSignal | undefined,
  decode: (result: bigint) => T,
): Promise<T> {
  if (signal?.aborted)
    throw new PasskeyDeskError('USER_CANCELLED', `Cancelled before Windows was asked to ${call.action}.`);
  const out: unknown[] = [null];
  const hr = Number(await lib.callAsync(call.name, ...call.args, out));
  const result = toAddress(out[0]);
  if (hr !== 0) throw hresultError(call.name, hr, call.action, lib.errorName(hr));
  if (result === 0n)
    throw new PasskeyDeskError(
      'INTERNAL',
      `${call.name} returned S_OK without a result; expected a pointer.`,
    );
  try {
    return decode(result);
  } finally {
    lib.call(call.free, result);
  }
}

export { InputArena };
