import type { GuidedCardView } from '../../../shared/contract/stores';
import { knownProvider } from '../../../shared/aaguid';
import type { Passkey } from '../../../shared/model';
import { providerLabel } from '../../format';

/** The card for passkeys Windows lists but will not let a program delete (synced, or held by a provider app). */
export const WINDOWS_SETTINGS_CARD = 'guided:windows-settings';

/**
 * The guided store a passkey most likely lives in, so "Mark as deleted there" can be offered from its details:
 * a Windows passkey Windows will not let us delete is managed in Windows Settings; otherwise the provider behind
 * its AAGUID (iCloud Keychain, Google Password Manager, 1Password, Samsung Pass…) names the card. Null when the
 * passkey's own store manages it (the vault, a security key, a removable Windows Hello passkey) or nothing matches.
 */
export function likelyGuidedCard(passkey: Passkey, cards: readonly GuidedCardView[]): GuidedCardView | null {
  if (passkey.storeKind === 'vault' || passkey.storeKind === 'security-key') return null;
  if (passkey.storeKind === 'windows-hello')
    return passkey.removable ? null : (cards.find((c) => c.id === WINDOWS_SETTINGS_CARD) ?? null);
  const known = knownProvider(passkey.aaguid);
  const byId = known?.store ? cards.find((c) => c.id === known.store) : undefined;
  if (byId) return byId;
  const name = (known?.name ?? providerLabel(passkey))?.toLowerCase();
  if (!name) return null;
  // Provider names the cards mention ("iCloud Keychain" in "Apple Passwords / iCloud Keychain", "Samsung Pass").
  return cards.find((c) => `${c.label} ${c.what}`.toLowerCase().includes(name)) ?? null;
}
