import { useEffect, useRef } from 'react';
import type { Passkey } from '../../../shared/model';
import { shortId } from '../../../shared/model';
import type { SecurityKeyFacts } from '../../../shared/security-key';
import { plural, userLabel } from '../../format';

interface KeyPasskeysProps {
  keyFacts: SecurityKeyFacts;
  passkeys: Passkey[];
  onRename: (p: Passkey) => void;
  onDelete: (p: Passkey) => void;
  onHide: () => void;
}

function bySite(passkeys: Passkey[]): [string, Passkey[]][] {
  const groups = new Map<string, Passkey[]>();
  for (const p of passkeys) groups.set(p.rpId, [...(groups.get(p.rpId) ?? []), p]);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([site, list]) => [site, list.sort((x, y) => userLabel(x).localeCompare(userLabel(y)))]);
}

/** The passkeys read from one key with its PIN, grouped by site, each with Rename and Delete. */
export function KeyPasskeys({ keyFacts: key, passkeys, onRename, onDelete, onHide }: KeyPasskeysProps) {
  const groups = bySite(passkeys);
  const heading = useRef<HTMLHeadingElement>(null);
  // Once the PIN dialog closes, take keyboard and screen-reader users (and the scroll) to what was read.
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="key-passkeys" aria-labelledby="key-passkeys-heading">
      <header className="key-passkeys-header">
        <div>
          <h2 id="key-passkeys-heading" ref={heading} tabIndex={-1}>
            Passkeys on {key.label}
          </h2>
          <p className="subtle" data-testid="key-slots">
            {plural(passkeys.length, 'passkey')} on {plural(groups.length, 'site')}
            {key.remainingSlots === null ? '' : ` · ${plural(key.remainingSlots, 'free slot')}`}
          </p>
        </div>
        <button type="button" className="button" onClick={onHide}>
          Hide passkeys
        </button>
      </header>
      {groups.length === 0 && <p>This key holds no passkeys (no discoverable credentials).</p>}
      {groups.map(([site, list]) => (
        <section key={site} className="key-site" aria-label={site}>
          <h3>
            {site} <span className="subtle">· {plural(list.length, 'passkey')}</span>
          </h3>
          <ul className="key-site-list">
            {list.map((p) => (
              <li key={p.credentialId} className="key-passkey" aria-label={`${userLabel(p)} on ${p.rpId}`}>
                <div className="key-passkey-main">
                  <span className="key-passkey-name">{userLabel(p)}</span>
                  <span className="subtle">
                    {p.userDisplayName && p.userDisplayName !== userLabel(p) ? `${p.userDisplayName} · ` : ''}
                    <code className="mono">{shortId(p.credentialId)}</code>
                  </span>
                </div>
                <div className="key-passkey-actions">
                  {key.canRename && (
                    <button
                      type="button"
                      className="button button-small"
                      aria-label={`Rename ${userLabel(p)} on ${p.rpId}`}
                      onClick={() => onRename(p)}
                    >
                      Rename…
                    </button>
                  )}
                  <button
                    type="button"
                    className="button button-small button-danger"
                    aria-label={`Delete ${userLabel(p)} on ${p.rpId}`}
                    onClick={() => onDelete(p)}
                  >
                    Delete…
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}
