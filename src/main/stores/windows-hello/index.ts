/**
 * Windows Hello (webauthn.dll) for Passkey Desk: the passkey store, the user verifier and the ceremony bindings.
 * See docs/windows-hello.md for what works on which Windows version.
 */
export type { WindowsHelloStore, WindowsHelloStoreOptions } from './store';
export { createWindowsHelloStore } from './store';
export type { WebAuthnLocation } from './open';
export { defaultLibraryPath } from './open';
export type { AuthenticatorDetails } from './decode-authenticators';
export { MANAGE_IN_SETTINGS, SETTINGS_PASSKEYS_LINK, manageStepsFor } from './manage';
