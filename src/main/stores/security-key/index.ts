/** Public surface of the security-key store (CTAP 2.1 over CTAPHID). */
export { createSecurityKeyProvider, stableId, FAKE_SECURITY_KEY_ENV } from './provider';
export type { SecurityKeyProvider, SecurityKeyProviderOptions } from './provider';
export { SecurityKeyStore, parseCredentialId } from './key-store';
export type { SecurityKeyFacts } from './key-facts';
export { createNodeHidBackend, WINDOWS_ADMIN_STEPS } from './node-hid-backend';
export { createSocketHidBackend } from './socket-backend';
export type { HidBackend, HidConnection, HidDeviceInfo } from './hid';
