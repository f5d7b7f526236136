import { isPasskeyDeskError } from '../../../shared/errors';
import type { WebAuthnLibrary } from './library';
import { openWebAuthn } from './library';

export interface WebAuthnLocation {
  /**
   * Absolute path of webauthn.dll. On Windows the default is `%SystemRoot%\System32\webauthn.dll`. On any other
   * platform the store is unavailable unless a path is given: tests and end-to-end runs pass the C stand-in here
   * (the composition root maps the `PASSKEY_DESK_WEBAUTHN_LIBRARY` environment variable to it).
   */
  libraryPath?: string;
  /** Defaults to process.platform. */
  platform?: NodeJS.Platform;
  /** Windows folder for the default path; defaults to %SystemRoot%, then C:\Windows. */
  systemRoot?: string;
}

export type Opened = { ok: true; lib: WebAuthnLibrary } | { ok: false; reason: string };

const PLATFORM_NAMES: Partial<Record<NodeJS.Platform, string>> = {
  darwin: 'macOS',
  linux: 'Linux',
  win32: 'Windows',
};

export function defaultLibraryPath(systemRoot: string | undefined): string {
  return `${systemRoot ?? 'C:\\Windows'}\\System32\\webauthn.dll`;
}

/** Finds and loads webauthn.dll once; later calls return the same outcome. Never throws. */
export function createOpener(location: WebAuthnLocation): () => Opened {
  let opened: Opened | null = null;
  return () => {
    if (opened) return opened;
    const platform = location.platform ?? process.platform;
    const path =
      location.libraryPath ??
      (platform === 'win32' ? defaultLibraryPath(location.systemRoot ?? process.env.SystemRoot) : null);
    if (path === null) {
      opened = {
        ok: false,
        reason: `Windows Hello passkeys live in Windows; this computer runs ${PLATFORM_NAMES[platform] ?? platform}. Manage them on the Windows PC that holds them.`,
      };
      return opened;
    }
    try {
      opened = { ok: true, lib: openWebAuthn(path) };
    } catch (e) {
      opened = {
        ok: false,
        reason: isPasskeyDeskError(e) ? e.message : `Could not load webauthn.dll: ${String(e)}`,
      };
    }
    return opened;
  };
}
