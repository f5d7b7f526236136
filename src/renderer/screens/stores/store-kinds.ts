import { missingCase } from '../../../shared/errors';
import type { StoreKind } from '../../../shared/model';

/** What each kind of store is, in one or two plain sentences (the empty state and the Stores screen use it). */
export function storeKindExplanation(kind: StoreKind): string {
  switch (kind) {
    case 'vault':
      return "Passkey Desk's own vault: passkeys created here or moved in from an export. Their private keys are sealed under a key kept in your system keyring, and deleted ones wait in the trash until you purge them.";
    case 'windows-hello':
      return 'Passkeys Windows Hello saved on this PC. On Windows 11 (22H2 with the September 2023 update or later) Passkey Desk lists and deletes them through Windows’ own WebAuthn API.';
    case 'security-key':
      return 'FIDO2 security keys such as a YubiKey. Plug one in and enter its PIN to list the passkeys stored on it; each key shows up as its own store.';
    case 'export':
      return 'Export files from Bitwarden (JSON), KeePassXC (.passkey) and the FIDO Credential Exchange Format. An imported file is read-only here; its passkeys can be moved into the vault.';
    case 'guided':
      return 'iCloud Keychain, Google Password Manager, phones and other password managers do not let any program read their passkeys. Passkey Desk names them and shows the exact steps to manage them there.';
    default:
      return missingCase(kind);
  }
}

export function storeKindHeading(kind: StoreKind): string {
  switch (kind) {
    case 'vault':
      return 'Passkey Desk vault';
    case 'windows-hello':
      return 'Windows Hello';
    case 'security-key':
      return 'Security keys';
    case 'export':
      return 'Password-manager exports';
    case 'guided':
      return 'Stores no program can read';
    default:
      return missingCase(kind);
  }
}
