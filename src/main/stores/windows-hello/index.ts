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
export type { WindowsHelloVerifierOptions } from './verifier';
export { createWindowsHelloVerifier, DEFAULT_VERIFIER_RP_ID } from './verifier';
export type { CeremonyContext } from './ceremony-common';
export { toHwnd } from './ceremony-common';
export type { MakeCredentialRequest, MakeCredentialResult } from './make-credential';
export { makeCredential } from './make-credential';
export type { GetAssertionRequest, GetAssertionResult } from './get-assertion';
export { getAssertion } from './get-assertion';
export type { WebAuthnLibrary } from './library';
export { openWebAuthn } from './library';
export { koffiMemory } from './koffi-memory';
