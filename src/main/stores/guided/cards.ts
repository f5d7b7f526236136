/**
 * The stores no program can read: what each is, why Passkey Desk cannot read it, and the exact steps to view
 * and delete a passkey there (PRODUCT.md's table, from the vendors' support articles as of Dec 2024 — re-check
 * them, they change). Pure data: the renderer shows it, the CLI prints it, the guided stores report it.
 */

export type GuidedPlatform = 'macos' | 'ios' | 'windows' | 'android' | 'chrome' | 'any';

export interface GuidedSteps {
  platform: GuidedPlatform;
  /** Where these steps apply ("Mac, macOS 15 or later"). */
  where: string;
  steps: string[];
  /** A deep link the OS opens (allow-listed by the shell), or null when the platform has none. */
  link: string | null;
  /** How to get there when there is no link a program may open. */
  linkNote: string | null;
}

export interface GuidedCard {
  id: `guided:${string}`;
  label: string;
  what: string;
  why: string;
  sections: GuidedSteps[];
  /** Provider AAGUIDs of passkeys this store holds, so "elsewhere" passkeys can point at the right card. */
  aaguids: string[];
}

const DELETE_BOTH_SIDES =
  "Deleting here does not remove the passkey from the account: remove it from the site's security settings too (or let Passkey Desk revoke it when you reconcile).";

export const GUIDED_CARDS: readonly GuidedCard[] = [
  {
    id: 'guided:apple',
    label: 'Apple Passwords / iCloud Keychain',
    what: 'Passkeys saved on a Mac, iPhone or iPad with iCloud Keychain, synced between your Apple devices.',
    why: 'Apple offers no way for apps to list or delete these passkeys; only entitled web browsers may list them, one site at a time.',
    sections: [
      {
        platform: 'macos',
        where: 'Mac, macOS 15 or later',
        steps: [
          'Open the Passwords app.',
          'Choose Passkeys in the sidebar.',
          'Select the site.',
          'Click Edit, then Delete Passkey.',
          DELETE_BOTH_SIDES,
        ],
        link: null,
        linkNote:
          'Apple documents no link that opens the Passwords app: open it from Spotlight (⌘ Space, type "Passwords").',
      },
      {
        platform: 'macos',
        where: 'Mac, macOS 12 to 14',
        steps: [
          'Open System Settings (System Preferences on macOS 12) and choose Passwords.',
          'Select the site.',
          'Click Edit (or the ⓘ button), then Delete Passkey.',
          DELETE_BOTH_SIDES,
        ],
        link: null,
        linkNote: null,
      },
      {
        platform: 'ios',
        where: 'iPhone or iPad, iOS 18 or later (earlier: Settings → Passwords)',
        steps: [
          'Open the Passwords app.',
          'Tap Passkeys.',
          'Tap the site.',
          'Tap Edit, then Delete Passkey.',
          DELETE_BOTH_SIDES,
        ],
        link: null,
        linkNote: null,
      },
    ],
    aaguids: ['fbfc3007-154e-4ecc-8c0b-6e020557d7bd', 'dd4ec289-e01d-41c9-bb89-70fa845d4bf2'],
  },
  {
    id: 'guided:google',
    label: 'Google Password Manager / Chrome',
    what: 'Passkeys saved in Chrome or on Android with Google Password Manager, synced to your Google account.',
    why: 'Google offers no interface for other programs to read or delete them.',
    sections: [
      {
        platform: 'chrome',
        where: 'Chrome on a computer',
        steps: [
          'In Chrome, open the ⋮ menu → Passwords and autofill → Google Password Manager.',
          'Find the site and select it.',
          'Delete the passkey.',
          DELETE_BOTH_SIDES,
        ],
        link: null,
        // chrome:// URLs are not something the OS hands to Chrome, so openExternal cannot open them.
        linkNote:
          "Or paste chrome://password-manager/passwords into Chrome's address bar (other apps cannot open chrome:// links).",
      },
      {
        platform: 'android',
        where: 'Android',
        steps: [
          'Open Settings → Passwords, passkeys & accounts (or Passwords & accounts) → Google.',
          'Find the site and tap it.',
          'Tap Delete.',
          DELETE_BOTH_SIDES,
        ],
        link: null,
        linkNote: null,
      },
    ],
    aaguids: ['ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4'],
  },
  {
    id: 'guided:windows-settings',
    label: 'Windows Settings (synced and provider passkeys)',
    what: 'Passkeys Windows shows in Settings that other programs may not delete: passkeys synced through your Microsoft account and passkeys held by a passkey provider app.',
    why: 'Windows lists these to programs but marks them as not removable; only Windows Settings (or the provider app) can delete them.',
    sections: [
      {
        platform: 'windows',
        where: 'Windows 11',
        steps: [
          'Open Settings → Accounts → Passkeys.',
          'Find the site in the list.',
          'Click ⋯ beside it, then Delete.',
          DELETE_BOTH_SIDES,
        ],
        link: 'ms-settings:savedpasskeys',
        linkNote: null,
      },
    ],
    aaguids: [
      '08987058-cadc-4b81-b6e1-30de50dcbe96',
      '9ddd1817-af5a-4672-a2b9-3e3dd95000a9',
      '6028b017-b1d4-4c02-b4b3-afcdafc96bb2',
      'd3452668-01fd-4c12-926c-83a4204853aa',
    ],
  },
  {
    id: 'guided:1password',
    label: '1Password',
    what: 'Passkeys saved in 1Password, in the login item of the site.',
    why: '1Password keeps passkeys in its encrypted vault and offers no interface for other programs to read them, and its exports leave passkeys out.',
    sections: [
      {
        platform: 'any',
        where: '1Password app (any device)',
        steps: [
          'Open 1Password and find the login item of the site.',
          'Click Edit.',
          'Delete the passkey from the item, then Save.',
          DELETE_BOTH_SIDES,
        ],
        link: null,
        linkNote: null,
      },
    ],
    aaguids: ['bada5566-a7aa-401f-bd96-45619a55120d'],
  },
  {
    id: 'guided:phones',
    label: 'Phones and Microsoft Authenticator',
    what: "Passkeys on a phone or tablet — in Microsoft Authenticator (work or school accounts), Samsung Pass, or the phone's own password manager — used from this computer by scanning a QR code.",
    why: "A phone's passkeys never leave the phone, and no phone offers a way to list them from a computer.",
    sections: [
      {
        platform: 'any',
        where: 'Microsoft Authenticator (iPhone or Android)',
        steps: [
          'Open Microsoft Authenticator and tap the work or school account.',
          'Open its passkey and choose to delete it.',
          "Also remove it from the account's Security info page, or your organisation will keep offering it.",
        ],
        link: null,
        linkNote: null,
      },
      {
        platform: 'android',
        where: 'Samsung Pass',
        steps: [
          'Open Samsung Pass (Settings → Security and privacy → Samsung Pass).',
          'Tap Passkeys, then the site.',
          'Tap Delete.',
          DELETE_BOTH_SIDES,
        ],
        link: null,
        linkNote: null,
      },
      {
        platform: 'any',
        where: 'iPhone, iPad or Android phone',
        steps: [
          'iPhone and iPad: follow the Apple Passwords card.',
          'Android: follow the Google Password Manager card.',
        ],
        link: null,
        linkNote: null,
      },
    ],
    // Microsoft Authenticator for iOS and for Android (Microsoft Entra ID passkey documentation), Samsung Pass.
    aaguids: [
      '90a3ccdf-635c-4729-a248-9b709135078f',
      'de1e552d-db1d-4423-a619-566b625cdc84',
      '53414d53-554e-4700-0000-000000000000',
    ],
  },
  {
    id: 'guided:other',
    label: 'Another password manager or device',
    what: 'Passkeys kept somewhere Passkey Desk has no card for: Bitwarden, Dashlane, KeePassXC, Proton Pass or another password manager, Windows Hello on another PC, or a security key that is not plugged in.',
    why: "Passkey Desk can read only this computer's stores, security keys plugged in now, and exports you import. Import an export from the manager (Bitwarden, KeePassXC, CXF) to see its passkeys here.",
    sections: [
      {
        platform: 'any',
        where: 'A password manager',
        steps: [
          'Open the password manager and find the login item for the site.',
          'Edit the item and remove its passkey (Bitwarden, Dashlane, Proton Pass and KeePassXC all show it inside the login).',
          DELETE_BOTH_SIDES,
        ],
        link: null,
        linkNote: null,
      },
      {
        platform: 'any',
        where: 'Another computer or a security key',
        steps: [
          'Windows Hello on another PC: on that PC, open Settings → Accounts → Passkeys and delete it there.',
          'A security key: plug it in here and open Security keys; Passkey Desk can list and delete its passkeys.',
        ],
        link: null,
        linkNote: null,
      },
    ],
    aaguids: [
      'd548826e-79b4-db40-a3d8-11116f7e8349',
      '531126d6-e717-415c-9320-3d9aa6981239',
      'fdb141b2-5d84-443e-8a35-4698c205a502',
      '50726f74-6f6e-5061-7373-50726f746f6e',
    ],
  },
];

/** For refusals: what a user may type instead ("guided:apple for Apple Passwords / iCloud Keychain; …"). */
export function guidedStoreChoices(): string {
  return GUIDED_CARDS.map((c) => `${c.id} for ${c.label}`).join('; ');
}

export function isGuidedStoreId(id: string): boolean {
  return GUIDED_CARDS.some((c) => c.id === id);
}

export function guidedCard(id: string): GuidedCard | null {
  return GUIDED_CARDS.find((c) => c.id === id) ?? null;
}

/** The card whose store holds passkeys from this provider (by AAGUID), if any. */
export function guidedCardForAaguid(aaguid: string | null): GuidedCard | null {
  if (!aaguid) return null;
  const a = aaguid.toLowerCase();
  return GUIDED_CARDS.find((c) => c.aaguids.includes(a)) ?? null;
}
