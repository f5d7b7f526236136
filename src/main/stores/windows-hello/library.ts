import koffi from 'koffi';
import type { LibraryHandle, TypeObject } from 'koffi';

import { PasskeyDeskError } from '../../../shared/errors';
import { toAddress } from './koffi-memory';

/**
 * webauthn.dll through koffi. The library is loaded from the one absolute path the caller gives (System32 in
 * production, the C stand-in in tests: os-apis.md §1.0, "do not rely on the DLL search order", YSA-2026-01).
 * Exports are resolved lazily, on first use, because older DLLs lack newer ones; every call is gated on the API
 * version the DLL reports. Nothing here knows whether it talks to Windows or to the stand-in.
 */

type Spec = string | TypeObject | ReturnType<typeof koffi.out>;
interface Prototype {
  result: string;
  args: readonly Spec[];
  /** webauthn.h API version that introduced the export. */
  minApi: number;
}

const OUT_POINTER = koffi.out(koffi.pointer('void *'));
const OUT_BOOL = koffi.out(koffi.pointer('int32_t'));

// Pointer arguments are `void *`: callers pass Buffers laid out at the header's offsets (see structs.ts), or BigInt
// addresses that the DLL returned. HWND is `intptr_t`: a handle value, never the address of a Buffer holding it.
const PROTOTYPES = {
  WebAuthNGetApiVersionNumber: { result: 'uint32_t', args: [], minApi: 1 },
  WebAuthNIsUserVerifyingPlatformAuthenticatorAvailable: { result: 'int32_t', args: [OUT_BOOL], minApi: 1 },
  WebAuthNGetErrorName: { result: 'void *', args: ['int32_t'], minApi: 1 },
  WebAuthNGetCancellationId: { result: 'int32_t', args: ['void *'], minApi: 1 },
  WebAuthNCancelCurrentOperation: { result: 'int32_t', args: ['void *'], minApi: 1 },
  WebAuthNAuthenticatorMakeCredential: {
    result: 'int32_t',
    args: ['intptr_t', 'void *', 'void *', 'void *', 'void *', 'void *', OUT_POINTER],
    minApi: 1,
  },
  WebAuthNAuthenticatorGetAssertion: {
    result: 'int32_t',
    args: ['intptr_t', 'str16', 'void *', 'void *', OUT_POINTER],
    minApi: 1,
  },
  WebAuthNFreeCredentialAttestation: { result: 'void', args: ['void *'], minApi: 1 },
  WebAuthNFreeAssertion: { result: 'void', args: ['void *'], minApi: 1 },
  WebAuthNGetPlatformCredentialList: { result: 'int32_t', args: ['void *', OUT_POINTER], minApi: 4 },
  WebAuthNFreePlatformCredentialList: { result: 'void', args: ['void *'], minApi: 4 },
  WebAuthNDeletePlatformCredential: { result: 'int32_t', args: ['uint32_t', 'void *'], minApi: 4 },
  WebAuthNGetAuthenticatorList: { result: 'int32_t', args: ['void *', OUT_POINTER], minApi: 9 },
  WebAuthNFreeAuthenticatorList: { result: 'void', args: ['void *'], minApi: 9 },
} satisfies Record<string, Prototype>;

export type ExportName = keyof typeof PROTOTYPES;

type KoffiFunction = ReturnType<LibraryHandle['func']>;

export interface WebAuthnLibrary {
  readonly path: string;
  /** WebAuthNGetApiVersionNumber(), or 1 when the export is missing (first Windows 10 DLLs; libfido2 PR #453). */
  readonly apiVersion: number;
  /** Whether the export exists and the API version is high enough to call it. */
  supports(name: ExportName): boolean;
  call(name: ExportName, ...args: unknown[]): unknown;
  /** Runs the call on koffi's worker thread: MakeCredential/GetAssertion block until the user finishes the UI. */
  callAsync(name: ExportName, ...args: unknown[]): Promise<unknown>;
  /** WebAuthNGetErrorName(hr), e.g. "NotAllowedError"; null when unavailable. The string is the DLL's: never freed. */
  errorName(hr: number): string | null;
}

export function openWebAuthn(path: string): WebAuthnLibrary {
  // The struct offsets in this folder are the 64-bit ones (x64 and ARM64 share them). 32-bit Windows would need other
  // offsets and __stdcall prototypes; refuse it rather than guess.
  if (process.arch !== 'x64' && process.arch !== 'arm64') {
    throw new PasskeyDeskError(
      'STORE_UNAVAILABLE',
      `Passkey Desk reads Windows Hello on 64-bit Windows only (x64 or ARM64); this process is ${process.arch}.`,
    );
  }
  let lib: LibraryHandle;
  try {
    lib = koffi.load(path);
  } catch (e) {
    throw new PasskeyDeskError(
      'STORE_UNAVAILABLE',
      `Could not load webauthn.dll from ${path}: ${e instanceof Error ? e.message : String(e)}. Windows 10 1903 or later is needed.`,
      { path },
    );
  }
  const resolved = new Map<ExportName, KoffiFunction | null>();

  const resolve = (name: ExportName): KoffiFunction | null => {
    if (!resolved.has(name)) {
      const proto: Prototype = PROTOTYPES[name];
      let fn: KoffiFunction | null;
      try {
        fn = lib.func(name, proto.result, [...proto.args]);
      } catch {
        fn = null; // missing export: older DLL
      }
      resolved.set(name, fn);
    }
    return resolved.get(name) ?? null;
  };

  const versionFn = resolve('WebAuthNGetApiVersionNumber');
  const apiVersion = versionFn ? Number(versionFn()) : 1;

  const gate = (name: ExportName): KoffiFunction => {
    const proto: Prototype = PROTOTYPES[name];
    if (apiVersion < proto.minApi) {
      throw new PasskeyDeskError(
        'UNSUPPORTED',
        `${name} needs webauthn.dll API version ${proto.minApi} or later; this Windows reports ${apiVersion}. Update Windows to use it.`,
        { function: name, apiVersion, required: proto.minApi },
      );
    }
    const fn = resolve(name);
    if (!fn) {
      throw new PasskeyDeskError(
        'UNSUPPORTED',
        `webauthn.dll at ${path} reports API version ${apiVersion} but does not export ${name}; expected it from version ${proto.minApi}.`,
        { function: name, apiVersion },
      );
    }
    return fn;
  };

  return {
    path,
    apiVersion,
    supports: (name) => apiVersion >= PROTOTYPES[name].minApi && resolve(name) !== null,
    call: (name, ...args) => gate(name)(...args) as unknown,
    callAsync: (name, ...args) =>
      new Promise((resolvePromise, reject) => {
        const fn = gate(name);
        fn.async(...args, (err: unknown, result: unknown) => {
          if (err)
            reject(
              err instanceof Error ? err : new Error(typeof err === 'string' ? err : JSON.stringify(err)),
            );
          else resolvePromise(result);
        });
      }),
    errorName: (hr) => {
      const fn = resolve('WebAuthNGetErrorName');
      if (!fn) return null;
      const ptr = toAddress(fn(hr | 0));
      return ptr === 0n ? null : koffi.decode.string16(ptr);
    },
  };
}
