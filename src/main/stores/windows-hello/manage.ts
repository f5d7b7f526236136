import type { ManualSteps } from '../../../shared/model';

/** Windows Settings' passkey page (Windows 11 22H2 with KB5030310 and later). */
export const SETTINGS_PASSKEYS_LINK = 'ms-settings:savedpasskeys';

export const WINDOWS_HELLO_LABEL = 'Windows Hello';

export const MANAGE_IN_SETTINGS: ManualSteps = {
  steps: [
    'Open Settings → Accounts → Passkeys (or follow the link).',
    'Find the site in the list; use the search box if the list is long.',
    'Select ⋯ beside it, then Delete passkey, and confirm.',
  ],
  link: SETTINGS_PASSKEYS_LINK,
};

/**
 * Where a passkey that Windows will not let us remove can be managed: in the provider that holds it (a plugin
 * provider such as a password manager from API 9), or in Windows Settings.
 */
export function manageStepsFor(providerName: string | null): ManualSteps {
  if (providerName && providerName !== WINDOWS_HELLO_LABEL) {
    return {
      steps: [
        `Open ${providerName} and delete the passkey there: Windows lists it, but ${providerName} holds it.`,
        'If it still shows afterwards, check Settings → Accounts → Passkeys.',
      ],
      link: SETTINGS_PASSKEYS_LINK,
    };
  }
  return MANAGE_IN_SETTINGS;
}
