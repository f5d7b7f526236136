/**
 * The messages users meet (PRODUCT.md's table and the support articles behind it), each with the checks that can
 * explain it and how much each matters for that message. A help desk picks the message; the ranking follows it.
 */
import type { CheckId } from './types';

export const MESSAGE_KEYS = [
  'no-longer-usable',
  'couldnt-verify-device',
  'android-work-profile',
  'no-qr-code',
  'qr-without-passkey',
  'already-have-passkey',
  'created-cant-sign-in',
  'works-on-one-device',
  'new-device',
] as const;
export type MessageKey = (typeof MESSAGE_KEYS)[number];

export interface DoctorMessage {
  key: MessageKey;
  /** The words on the screen, as users report them (several wordings for one cause). */
  wordings: string[];
  /** Where users see it. */
  where: string;
  /** 0..1 per check: how well that check can explain this message. Checks not named weigh `OTHER_WEIGHT`. */
  checks: Partial<Record<CheckId, number>>;
  /** Whether the checks that matter need an account picked. */
  needsAccount: boolean;
}

/**
 * What a check not named for a message still weighs: a dead Bluetooth adapter is worth showing, but it does not
 * explain "you already have a passkey". Low enough that no finding of an unnamed check (at most 1 × 0.1) outranks
 * the "pick the account" prompt of a message that needs an account (0.5 × a weight of at least 0.7 × 0.35 for an
 * unknown: 0.12 or more).
 */
export const OTHER_WEIGHT = 0.1;
/** With no message picked every check weighs the same. */
export const NO_MESSAGE_WEIGHT = 0.6;

export const MESSAGES: readonly DoctorMessage[] = [
  {
    key: 'no-longer-usable',
    wordings: ['This passkey can no longer be used', 'passkey not found', 'This passkey is no longer valid'],
    where: 'the browser or the site, after picking a passkey',
    checks: {
      'passkey-status': 1,
      'store-reach': 0.5,
      'server-reachable': 0.4,
      // The vault's own passkeys stop working when its file, its keyring or its key is gone.
      'vault-file': 0.8,
      keyring: 0.8,
      'vault-key': 0.8,
      'user-verification': 0.5,
    },
    needsAccount: true,
  },
  {
    key: 'couldnt-verify-device',
    wordings: ["Sign in another way. We couldn't use your device to verify your identity"],
    where: 'Microsoft account and Entra ID sign-in',
    checks: {
      'passkey-status': 1,
      'store-reach': 0.8,
      'windows-hello': 0.7,
      'touch-id': 0.5,
      platform: 0.5,
      'server-reachable': 0.3,
      'user-verification': 0.7,
      keyring: 0.4,
      'vault-key': 0.4,
      'vault-file': 0.4,
    },
    needsAccount: true,
  },
  {
    key: 'android-work-profile',
    wordings: ["We couldn't sign you in"],
    where: 'an Android phone with a work profile',
    checks: { 'android-profile': 1, 'store-reach': 0.6, 'passkey-status': 0.5, sync: 0.3 },
    needsAccount: false,
  },
  {
    key: 'no-qr-code',
    wordings: [
      'No QR code for "iPhone, iPad or Android device" when signing in on Windows',
      'The phone option is missing',
    ],
    where: 'Windows Security or the browser, choosing to use a phone',
    checks: {
      bluetooth: 1,
      'hybrid-policy': 0.7,
      'server-reachable': 0.6,
      platform: 0.6,
      'windows-hello': 0.4,
    },
    needsAccount: false,
  },
  {
    key: 'qr-without-passkey',
    wordings: [
      'A QR code appears although no passkey was ever created',
      'Use a phone or tablet — scan this QR code',
    ],
    where: 'the browser, after pressing "sign in with a passkey"',
    checks: { 'passkey-status': 1, 'store-reach': 0.5 },
    needsAccount: true,
  },
  {
    key: 'already-have-passkey',
    wordings: ['You already have a passkey', 'A passkey for this account already exists on this device'],
    where: 'the site, when adding a passkey',
    checks: { 'passkey-status': 1, 'store-reach': 0.4, sync: 0.4 },
    needsAccount: true,
  },
  {
    key: 'created-cant-sign-in',
    wordings: ["I created a passkey but can't log in with it"],
    where: 'any sign-in page, right after creating a passkey',
    checks: {
      'passkey-status': 1,
      'store-reach': 0.9,
      sync: 0.6,
      'server-reachable': 0.5,
      'android-profile': 0.3,
      'vault-file': 0.6,
      keyring: 0.6,
      'vault-key': 0.6,
      'user-verification': 0.5,
    },
    needsAccount: true,
  },
  {
    key: 'works-on-one-device',
    wordings: [
      'My passkey works on one device but not on another',
      'Works on the Mac, not on the Windows PC',
    ],
    where: 'the device where sign-in fails',
    checks: {
      'store-reach': 1,
      sync: 0.8,
      'passkey-status': 0.7,
      bluetooth: 0.5,
      'hybrid-policy': 0.3,
      'android-profile': 0.3,
      // A vault.json copied to another computer without its keyring: works on one, not on the other.
      'vault-key': 0.6,
      keyring: 0.4,
      'vault-file': 0.3,
    },
    needsAccount: true,
  },
  {
    key: 'new-device',
    wordings: ['I got a new device', 'Set up a new passkey first, then remove the old ones'],
    where: 'a new computer or phone',
    checks: {
      'passkey-status': 0.8,
      'store-reach': 0.8,
      'windows-hello': 0.5,
      'touch-id': 0.5,
      platform: 0.5,
      sync: 0.5,
      // The new passkey is made in the vault: it needs all four.
      'vault-file': 0.7,
      keyring: 0.7,
      'vault-key': 0.7,
      'user-verification': 0.7,
    },
    needsAccount: true,
  },
];

export function doctorMessage(key: MessageKey): DoctorMessage {
  const m = MESSAGES.find((x) => x.key === key);
  if (!m) throw new Error(`no doctor message ${key}`);
  return m;
}

export function isMessageKey(value: string): value is MessageKey {
  return (MESSAGE_KEYS as readonly string[]).includes(value);
}

/** How much a check matters for the message the user saw. */
export function weightFor(message: MessageKey | null, check: CheckId): number {
  if (message === null) return NO_MESSAGE_WEIGHT;
  return doctorMessage(message).checks[check] ?? OTHER_WEIGHT;
}
