/**
 * User verification before a private key is used: Touch ID (macOS, in the Electron shell), Windows Hello
 * (webauthn.dll), polkit (Linux). Each throws PasskeyDeskError USER_CANCELLED / USER_VERIFICATION_FAILED /
 * USER_VERIFICATION_UNAVAILABLE. There is no "skip" implementation in production code.
 */
export interface UserVerifier {
  readonly name: string;
  available(): Promise<{ ok: boolean; reason: string | null }>;
  verify(reason: string): Promise<void>;
}
