import type { DeletionMarkView, GuidedCardView } from '../../../shared/contract/stores';
import { shortId } from '../../../shared/model';
import { formatDateTime } from '../../format';
import { Badge } from '../../ui/Badge';
import { GuidedSteps } from './GuidedSteps';

interface GuidedCardProps {
  card: GuidedCardView;
  marks: DeletionMarkView[];
  onMark: () => void;
  onUnmark: (mark: DeletionMarkView) => void;
}

/**
 * A store no program can read: what it is, why, the steps for this computer first (other devices folded away),
 * and the passkeys the user said they deleted there, each with Undo.
 */
export function GuidedCard({ card, marks, onMark, onUnmark }: GuidedCardProps) {
  const headingId = `guided-${card.id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const [first, ...others] = card.sections;
  return (
    <article className="store-card guided-card" aria-labelledby={headingId} data-store-id={card.id}>
      <header className="store-card-header">
        <h3 id={headingId}>{card.label}</h3>
        <div className="store-card-badges">
          <Badge>Managed elsewhere</Badge>
        </div>
      </header>
      <p>{card.what}</p>
      <p className="store-reason">{card.why}</p>
      {first && <GuidedSteps section={first} storeLabel={card.label} />}
      {others.length > 0 && (
        <details className="guided-others">
          <summary>Other devices ({others.length})</summary>
          {others.map((s) => (
            <GuidedSteps key={s.where} section={s} storeLabel={card.label} />
          ))}
        </details>
      )}
      {marks.length > 0 && (
        <div className="guided-marks">
          <h4>Marked as deleted there</h4>
          <ul aria-label={`Marked as deleted in ${card.label}`}>
            {marks.map((m) => (
              <li key={m.id} className="guided-mark">
                <span>
                  <strong>{m.rpId}</strong>
                  {m.credentialId ? ` · passkey ${shortId(m.credentialId)}` : ' · every passkey for the site'}
                  <span className="subtle"> · marked {formatDateTime(m.markedAt)}</span>
                </span>
                <button
                  type="button"
                  className="button button-small"
                  aria-label={`Undo the mark for ${m.rpId}${m.credentialId ? ` (passkey ${shortId(m.credentialId)})` : ''}`}
                  onClick={() => onUnmark(m)}
                >
                  Undo
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="store-card-actions">
        <button type="button" className="button button-small" onClick={onMark}>
          Mark as deleted there…
        </button>
      </div>
    </article>
  );
}
