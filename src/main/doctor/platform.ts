/**
 * OS and version: whether this system has what passkeys need (Windows 10 1903+ for Windows Hello passkeys,
 * Windows 11 22H2+ for managing them and for phone sign-in built into Windows; macOS 13+ for iCloud Keychain
 * passkeys; Linux has no platform store, so a phone, a security key, a password manager or the vault).
 */
import os from 'node:os';
import type { Check, DoctorContext, Finding } from '../../shared/doctor';
import { finding, osName } from '../../shared/doctor';

export interface OsFacts {
  platform: string;
  /** `os.release()`: the kernel (Darwin, Linux) or Windows' `10.0.<build>`. */
  release: string;
  /** `os.version()`: "Windows 11 Pro", "Darwin Kernel Version 23.1.0 …", "#1 SMP Debian …". */
  version: string;
  arch: string;
}

export function osFacts(): OsFacts {
  return { platform: process.platform, release: os.release(), version: os.version(), arch: os.arch() };
}

/** "Linux 6.1.0 (x64)" for reports: no host name, no user. */
export function describeSystem(f: OsFacts): string {
  if (f.platform === 'darwin')
    return `macOS ${macosVersion(f.release) ?? '?'} (Darwin ${f.release}, ${f.arch})`;
  if (f.platform === 'win32')
    return `Windows build ${windowsBuild(f.release) ?? '?'} (${f.version}, ${f.arch})`;
  return `${osName(f.platform)} ${f.release} (${f.arch})`;
}

/** Darwin 20 is macOS 11, … 24 is macOS 15; Apple then jumped to 26 (Tahoe) on Darwin 25. */
export function macosVersion(release: string): number | null {
  const major = Number.parseInt(release.split('.')[0] ?? '', 10);
  if (!Number.isFinite(major) || major < 20) return null;
  return major <= 24 ? major - 9 : major + 1;
}

export function windowsBuild(release: string): number | null {
  const build = Number.parseInt(release.split('.')[2] ?? '', 10);
  return Number.isFinite(build) ? build : null;
}

const W10_1903 = 18362;
const W11 = 22000;
const W11_22H2 = 22621;

export function platformFinding(f: OsFacts): Finding {
  const evidence = [
    { label: 'Operating system', value: describeSystem(f) },
    { label: 'Reported version', value: f.version || '—' },
  ];
  const base = { id: 'platform', check: 'platform' as const, evidence };
  if (f.platform === 'win32') {
    const build = windowsBuild(f.release);
    if (build !== null && build < W10_1903) {
      return finding({
        ...base,
        verdict: 'problem',
        title: 'This Windows is too old for passkeys',
        explanation: `Windows build ${build} predates Windows 10 version 1903, the first with Windows Hello passkeys. Update Windows.`,
        fix: {
          kind: 'link',
          label: 'Open Windows Update',
          url: 'ms-settings:windowsupdate',
          steps: ['Install the offered updates, then restart.'],
        },
        likelihood: 0.8,
      });
    }
    if (build !== null && build < W11_22H2) {
      return finding({
        ...base,
        verdict: 'problem',
        title:
          build < W11
            ? 'Windows 10: passkeys work, phone sign-in and passkey management are limited'
            : 'Windows 11 before 22H2: passkey features are limited',
        explanation:
          'Windows 11 22H2 or later (with the September 2023 update) lists and deletes passkeys in Settings and offers "iPhone, iPad or Android device" itself. On older Windows the phone option depends on the browser, and Passkey Desk cannot read Windows Hello passkeys.',
        fix: {
          kind: 'link',
          label: 'Open Windows Update',
          url: 'ms-settings:windowsupdate',
          steps: ['Install the feature update to the latest Windows 11, if this PC qualifies.'],
        },
        likelihood: 0.4,
      });
    }
    return finding({
      ...base,
      verdict: 'ok',
      title: 'Windows is recent enough for passkeys',
      explanation:
        'Windows 11 22H2 or later supports Windows Hello passkeys, passkey management in Settings and sign-in with a phone.',
      likelihood: 0.4,
    });
  }
  if (f.platform === 'darwin') {
    const v = macosVersion(f.release);
    if (v !== null && v < 13) {
      return finding({
        ...base,
        verdict: 'problem',
        title: 'This macOS is too old for iCloud Keychain passkeys',
        explanation: `macOS ${v} predates macOS 13 Ventura, the first that saves passkeys in iCloud Keychain. Update macOS, or use a security key or a password manager.`,
        fix: {
          kind: 'steps',
          label: 'Update macOS',
          steps: ['Open System Settings → General → Software Update.'],
        },
        likelihood: 0.7,
      });
    }
    return finding({
      ...base,
      verdict: 'ok',
      title: 'macOS is recent enough for passkeys',
      explanation:
        'macOS 13 or later saves passkeys in iCloud Keychain and signs in with a phone by QR code.',
      likelihood: 0.4,
    });
  }
  if (f.platform === 'linux') {
    return finding({
      ...base,
      verdict: 'ok',
      title: 'Linux: no built-in passkey store, other ways work',
      explanation:
        'Linux has no platform passkey store like Windows Hello or iCloud Keychain. Passkeys here come from a phone (QR code, needs Bluetooth), a security key, a password manager, Chrome signed in to Google Password Manager, or the Passkey Desk vault.',
      likelihood: 0.3,
    });
  }
  return finding({
    ...base,
    verdict: 'unknown',
    title: `Passkey support on ${f.platform} is not known`,
    explanation: 'Passkey Desk knows Windows, macOS and Linux.',
    likelihood: 0.3,
  });
}

export function platformCheck(facts: () => OsFacts = osFacts): Check<DoctorContext> {
  return {
    id: 'platform',
    title: 'Operating system and version',
    run: async () => [platformFinding(facts())],
  };
}
