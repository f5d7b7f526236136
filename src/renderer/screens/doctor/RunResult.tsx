import { useEffect, useId, useRef } from 'react';
import type { DoctorRun } from '../../../shared/doctor';
import { formatDateTime } from '../../format';
import { FindingItem } from './FindingItem';
import { accountLabel } from './labels';
import { ReportPanel } from './ReportPanel';

interface RunResultProps {
  run: DoctorRun;
  /** The checks are running again (after a fix): the old findings stay until the new ones arrive. */
  refreshing: boolean;
  onApplied: () => void;
}

/** What the checks found, most likely first, and the report to copy for a help desk. */
export function RunResult({ run, refreshing, onApplied }: RunResultProps) {
  const headingId = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  // Each finished run lands the reader on its findings (the form above is tall; a fix may remove its own row).
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
    heading.current?.scrollIntoView({ block: 'start' });
  }, [run.at]);
  const problems = run.findings.filter((f) => f.verdict === 'problem').length;
  return (
    <section className="doctor-result" aria-labelledby={headingId} aria-busy={refreshing}>
      <h2 id={headingId} ref={heading} tabIndex={-1}>
        Findings, most likely first
      </h2>
      <p className="subtle">
        {run.account ? `${accountLabel(run.account)} · ` : 'This computer only · '}
        {run.system} · checked {formatDateTime(run.at)}
        {refreshing ? ' · checking again…' : ''}
      </p>
      <p className={`doctor-summary doctor-summary-${run.top?.verdict ?? 'ok'}`} role="status">
        {run.top
          ? `Most likely: ${run.top.title}.`
          : 'Nothing wrong was found: every check passed or was ruled out.'}
        {problems > 1 ? ` ${problems} problems in all.` : ''}
      </p>
      <ol className="doctor-findings" aria-label="Findings">
        {run.findings.map((f, i) => (
          <FindingItem key={f.id} finding={f} rank={i + 1} top={f.id === run.top?.id} onApplied={onApplied} />
        ))}
      </ol>
      <details className="doctor-checked">
        <summary>Checked ({run.checked.length})</summary>
        <ul>
          {run.checked.map((c) => (
            <li key={c.id}>{c.title}</li>
          ))}
        </ul>
      </details>
      <ReportPanel key={run.at} report={run.report} />
    </section>
  );
}
