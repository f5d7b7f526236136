/**
 * Which ecosystem a server credential lives in, and whether that ecosystem can be used on this OS. Decided from
 * what the server says (AAGUID, provider name, transports): a guess, stated as one in the evidence.
 */
import { PASSKEY_DESK_AAGUID, knownProvider } from '../aaguid';
import { missingCase } from '../errors';
import type { ServerCredential } from '../reconcile';

export type Ecosystem =
  'vault' | 'icloud' | 'google' | 'windows-hello' | 'password-manager' | 'phone' | 'security-key' | 'unknown';

/** `yes`: usable here when it is present. `no`: never on this OS (only from another device over QR). `maybe`: depends on a setting here. */
export type Usable = 'yes' | 'no' | 'maybe';

export interface Whereabouts {
  ecosystem: Ecosystem;
  /** The name users know ("iCloud Keychain", "a security key"). */
  label: string;
  usable: Usable;
  /** Why, in plain words, for this OS. */
  why: string;
}

const MANAGERS = /1password|bitwarden|dashlane|keepass|proton|lastpass|nordpass|enpass|keeper|roboform/i;
const PHONES = /samsung|authenticator|android/i;

export function ecosystemOf(
  c: Pick<ServerCredential, 'aaguid' | 'providerName' | 'transports' | 'deviceType'>,
): { ecosystem: Ecosystem; label: string } {
  const aaguid = c.aaguid?.toLowerCase() ?? null;
  if (aaguid === PASSKEY_DESK_AAGUID) return { ecosystem: 'vault', label: 'Passkey Desk vault' };
  const name = knownProvider(aaguid)?.name ?? c.providerName ?? null;
  if (name !== null) {
    if (/icloud|apple/i.test(name)) return { ecosystem: 'icloud', label: 'iCloud Keychain' };
    if (/google|chrome/i.test(name)) return { ecosystem: 'google', label: 'Google Password Manager' };
    if (/windows hello/i.test(name)) return { ecosystem: 'windows-hello', label: 'Windows Hello' };
    if (MANAGERS.test(name)) return { ecosystem: 'password-manager', label: name };
    if (PHONES.test(name)) return { ecosystem: 'phone', label: name };
  }
  const t = c.transports;
  if ((t.includes('usb') || t.includes('nfc')) && !t.includes('internal') && !t.includes('hybrid')) {
    return { ecosystem: 'security-key', label: name ? `a security key (${name})` : 'a security key' };
  }
  return { ecosystem: 'unknown', label: name ?? 'an authenticator the server could not name' };
}

export function whereabouts(
  c: Pick<ServerCredential, 'aaguid' | 'providerName' | 'transports' | 'deviceType'>,
  platform: string,
): Whereabouts {
  const { ecosystem, label } = ecosystemOf(c);
  const os = osName(platform);
  const at = (usable: Usable, why: string): Whereabouts => ({ ecosystem, label, usable, why });
  switch (ecosystem) {
    case 'vault':
      return at('yes', "Passkey Desk's own vault, on the computer that created it.");
    case 'icloud':
      return platform === 'darwin'
        ? at(
            'maybe',
            'iCloud Keychain works on this Mac when it is signed in to the same Apple Account with iCloud Keychain (Passwords) turned on.',
          )
        : at(
            'no',
            `iCloud Keychain passkeys stay on Apple devices; ${os} cannot use them except by scanning a QR code with the iPhone.`,
          );
    case 'google':
      return platform === 'linux' || platform === 'darwin' || platform === 'win32'
        ? at(
            'maybe',
            'Google Password Manager passkeys reach Chrome on a computer only when Chrome is signed in to the same Google account with passkey sync on.',
          )
        : at('no', `${os} cannot use Google Password Manager passkeys directly.`);
    case 'windows-hello':
      return platform === 'win32'
        ? at(
            'maybe',
            'A Windows Hello passkey lives on the one PC that created it (unless synced through the Microsoft account on Windows 11 25H2 or later); another PC cannot use it.',
          )
        : at(
            'no',
            `Windows Hello passkeys live in Windows; ${os} cannot use them except by scanning a QR code on the PC's phone option.`,
          );
    case 'password-manager':
      return at(
        'maybe',
        `${label} works here when its app or browser extension is installed, unlocked and signed in to the same account.`,
      );
    case 'phone':
      return at(
        'no',
        `A passkey on a phone (${label}) is used from a computer only by scanning a QR code, which needs Bluetooth on both devices.`,
      );
    case 'security-key':
      return at(
        'maybe',
        'A security key works on any computer once it is plugged in (or held to the NFC reader).',
      );
    case 'unknown':
      return at(
        'maybe',
        'The server does not say which authenticator made it, so whether it can be used here is unknown.',
      );
    default:
      return missingCase(ecosystem);
  }
}

export function osName(platform: string): string {
  return platform === 'win32'
    ? 'Windows'
    : platform === 'darwin'
      ? 'macOS'
      : platform === 'linux'
        ? 'Linux'
        : platform;
}
