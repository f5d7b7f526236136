import type { Passkey } from '../../shared/model';
import { providerIcon } from '../../shared/providers';
import { KeyIcon } from './KeyIcon';
import { useColorScheme } from './useColorScheme';

/** The provider's icon from the bundled AAGUID table (data: URLs only), or a neutral key glyph. */
export function ProviderIcon({ passkey }: { passkey: Pick<Passkey, 'aaguid'> }) {
  const scheme = useColorScheme();
  const src = providerIcon(passkey.aaguid, scheme);
  if (src) return <img className="provider-icon" src={src} alt="" width={28} height={28} />;
  return (
    <span className="provider-icon provider-icon-fallback" aria-hidden="true">
      <KeyIcon />
    </span>
  );
}
