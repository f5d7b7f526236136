import type { ReactNode } from 'react';
import { missingCase } from '../../../shared/errors';
import type { SecurityKeyFacts } from '../../../shared/security-key';
import { Badge } from '../../ui/Badge';

export function ctapLabel(level: SecurityKeyFacts['ctapLevel']): string {
  switch (level) {
    case 'ctap2.1':
      return 'CTAP 2.1';
    case 'ctap2.1-pre':
      return 'CTAP 2.1 (preview)';
    case 'ctap2.0':
      return 'CTAP 2.0';
    case 'u2f':
      return 'U2F only';
    default:
      return missingCase(level);
  }
}

export function pinLabel(key: SecurityKeyFacts): string {
  if (key.pinBlocked) return 'Blocked';
  if (key.pinSet === null) return 'No PIN support';
  if (!key.pinSet) return 'Not set';
  return key.pinRetries === null
    ? 'Set'
    : `Set · ${key.pinRetries} ${key.pinRetries === 1 ? 'try' : 'tries'} left`;
}

/** Why "Show passkeys" cannot be used on this key and what to do (the facts' limitations say what is wrong), or null. */
export function cannotList(key: SecurityKeyFacts): string | null {
  if (!key.canList)
    return 'To see its passkeys, use the key maker’s tool: this key has no CTAP 2.1 credential management.';
  if (key.pinBlocked)
    return 'To use the key again, reset it with the key maker’s tool. A reset erases every passkey on it: sign in to your accounts another way first.';
  if (key.pinSet === false)
    return 'Set a PIN first, with the key maker’s tool (such as Yubico Authenticator) or in Chrome: Settings → Privacy and security → Security → Manage security keys.';
  if (key.powerCycleRequired) return 'Unplug the key and plug it back in: it refuses PINs until then.';
  return null;
}

function Fact({ name, children }: { name: string; children: ReactNode }) {
  return (
    <div className="field">
      <dt>{name}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** One plugged-in key: what it is, its PIN state, its free slots, and what it cannot do here. */
export function KeyCard({ keyFacts: key, onShow }: { keyFacts: SecurityKeyFacts; onShow: () => void }) {
  const headingId = `key-${key.id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const blocked = cannotList(key);
  const hex = (n: number) => n.toString(16).padStart(4, '0');
  return (
    <article className="store-card key-card" aria-labelledby={headingId}>
      <header className="store-card-header">
        <h3 id={headingId}>{key.label}</h3>
        <div className="store-card-badges">
          <Badge>{ctapLabel(key.ctapLevel)}</Badge>
          <Badge tone={key.pinBlocked ? 'bad' : key.pinSet ? 'good' : 'warn'}>
            PIN {pinLabel(key).toLowerCase()}
          </Badge>
        </div>
      </header>
      <dl className="key-facts">
        <Fact name="Product">
          {[key.usbManufacturer, key.usbProduct].filter(Boolean).join(' ') || key.label} (USB{' '}
          {hex(key.vendorId)}:{hex(key.productId)})
        </Fact>
        <Fact name="AAGUID">
          <code className="mono">{key.aaguid}</code>
        </Fact>
        <Fact name="CTAP level">
          {ctapLabel(key.ctapLevel)} ({key.versions.join(', ')})
        </Fact>
        <Fact name="Firmware">{key.firmwareVersion ?? 'Not reported'}</Fact>
        <Fact name="PIN">{pinLabel(key)}</Fact>
        <Fact name="Free passkey slots">
          {key.remainingSlots === null
            ? 'Shown after the PIN is entered'
            : key.remainingSlots.toLocaleString()}
        </Fact>
        {key.existingCredentials !== null && (
          <Fact name="Passkeys on the key">{key.existingCredentials.toLocaleString()}</Fact>
        )}
      </dl>
      {key.limitations.length > 0 && (
        <div className="key-limitations">
          <h4>Limitations here</h4>
          <ul>
            {key.limitations.map((l) => (
              <li key={l}>{l}</li>
            ))}
          </ul>
        </div>
      )}
      {blocked && (
        <p className="store-reason" id={`${headingId}-blocked`}>
          {blocked}
        </p>
      )}
      <div className="store-card-actions">
        <button
          type="button"
          className="button button-primary"
          disabled={blocked !== null}
          aria-describedby={blocked ? `${headingId}-blocked` : undefined}
          onClick={onShow}
        >
          Show passkeys…
        </button>
      </div>
    </article>
  );
}
