import { useId } from 'react';
import type { Finding } from '../../../shared/doctor';
import { Badge } from '../../ui/Badge';
import { FixView } from './FixView';
import { verdictBadge } from './labels';

interface FindingItemProps {
  finding: Finding;
  rank: number;
  top: boolean;
  onApplied: () => void;
}

/** One finding: verdict, the plain explanation, what was looked at (folded), and the fix. */
export function FindingItem({ finding, rank, top, onApplied }: FindingItemProps) {
  const titleId = useId();
  const badge = verdictBadge(finding.verdict);
  return (
    <li className={`doctor-finding doctor-finding-${finding.verdict}`} aria-labelledby={titleId}>
      <div className="doctor-finding-head">
        <span className="doctor-finding-rank" aria-hidden="true">
          {rank}
        </span>
        <h3 id={titleId} className="doctor-finding-title">
          {finding.title}
        </h3>
        <span className="doctor-finding-badges">
          {top && <Badge tone="accent">Most likely</Badge>}
          <Badge tone={badge.tone}>{badge.label}</Badge>
        </span>
      </div>
      <p className="doctor-finding-explanation">{finding.explanation}</p>
      {finding.evidence.length > 0 && (
        <details className="doctor-evidence">
          <summary>What was looked at ({finding.evidence.length})</summary>
          <dl>
            {finding.evidence.map((e, i) => (
              // Labels repeat (one "Passkey" per credential), so the position is part of the key.
              <div key={`${i}-${e.label}`} className="doctor-evidence-row">
                <dt>{e.label}</dt>
                <dd>{e.value}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
      {finding.fix && <FixView fix={finding.fix} onApplied={onApplied} />}
    </li>
  );
}
