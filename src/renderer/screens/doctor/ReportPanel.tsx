import { useId, useState } from 'react';

type CopyState = { status: 'idle' } | { status: 'copied'; lines: number } | { status: 'failed' };

/**
 * "Copy report": the run's support report, already redacted by the checks' side (IDs shortened, no token, no
 * user folder). What is copied is shown underneath, so the person knows exactly what they are handing over.
 */
export function ReportPanel({ report }: { report: string }) {
  const [state, setState] = useState<CopyState>({ status: 'idle' });
  const [open, setOpen] = useState(false);
  const headingId = useId();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(report);
      setState({ status: 'copied', lines: report.split('\n').length });
    } catch {
      setState({ status: 'failed' });
    }
    setOpen(true);
  };
  return (
    <section className="doctor-report" aria-labelledby={headingId}>
      <div className="doctor-report-head">
        <h2 id={headingId}>Support report</h2>
        <button type="button" className="button" onClick={() => void copy()}>
          Copy report
        </button>
      </div>
      <p className="subtle" role="status">
        {state.status === 'copied'
          ? `Copied the report below (${state.lines} lines) to the clipboard.`
          : state.status === 'failed'
            ? 'The clipboard is not available: select the report below and press Ctrl+C.'
            : 'For a help desk: the findings and what was looked at, with passkey IDs shortened and no sign-in token.'}
      </p>
      <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>The report as it is copied</summary>
        <pre className="doctor-report-text" aria-label="Support report text" tabIndex={0}>
          {report}
        </pre>
      </details>
    </section>
  );
}
