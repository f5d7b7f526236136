import { useId, useState } from 'react';
import type { Fix, LinkFix, PlanFix } from '../../../shared/doctor';
import type { ErrorInfo } from '../../../shared/errors';
import { missingCase } from '../../../shared/errors';
import { api } from '../../api';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { PlanDialog } from '../reconcile/PlanDialog';

/**
 * A finding's fix. A plan is only proposed here: the dialog builds it again from a fresh look at both sides,
 * lists each step's exact effect, and reconcile applies it after the user confirms. Steps are read; a link opens
 * through the shell's allow-list.
 */
export function FixView({ fix, onApplied }: { fix: Fix; onApplied: () => void }) {
  const headingId = useId();
  return (
    <section className="doctor-fix" aria-labelledby={headingId}>
      <h4 id={headingId} className="doctor-fix-title">
        Fix: {fix.label}
      </h4>
      <FixBody fix={fix} onApplied={onApplied} />
    </section>
  );
}

function FixBody({ fix, onApplied }: { fix: Fix; onApplied: () => void }) {
  switch (fix.kind) {
    case 'plan':
      return <PlanFixView fix={fix} onApplied={onApplied} />;
    case 'steps':
      return <Steps steps={fix.steps} />;
    case 'link':
      return <LinkFixView fix={fix} />;
    default:
      return missingCase(fix);
  }
}

function Steps({ steps }: { steps: string[] }) {
  if (steps.length === 0) return null;
  return (
    <ol className="doctor-fix-steps">
      {steps.map((step) => (
        <li key={step}>{step}</li>
      ))}
    </ol>
  );
}

function PlanFixView({ fix, onApplied }: { fix: PlanFix; onApplied: () => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <ul className="doctor-fix-effects" aria-label="What the fix does">
        {fix.effects.map((effect) => (
          <li key={effect}>{effect}</li>
        ))}
      </ul>
      <p className="doctor-fix-actions">
        <button type="button" className="button button-primary" onClick={() => setOpen(true)}>
          Fix…
        </button>
        <span className="subtle">You see the plan and confirm it before anything changes.</span>
      </p>
      {open && (
        <PlanDialog
          request={{
            accountId: fix.accountId,
            selection: { actionIds: fix.selection.actionIds },
            title: `Fix: ${fix.label}`,
          }}
          onClose={(changed) => {
            setOpen(false);
            if (changed) onApplied();
          }}
        />
      )}
    </>
  );
}

function LinkFixView({ fix }: { fix: LinkFix }) {
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [opened, setOpened] = useState(false);
  const open = async () => {
    setError(null);
    const result = await api().links.open({ url: fix.url });
    if (result.ok) setOpened(true);
    else setError(result.error);
  };
  return (
    <>
      <Steps steps={fix.steps} />
      <p className="doctor-fix-actions">
        <button type="button" className="button" onClick={() => void open()}>
          Open {fix.url}
        </button>
        <span className="subtle" role="status">
          {opened ? 'Opened outside Passkey Desk.' : ''}
        </span>
      </p>
      {error && <ErrorNotice error={error} />}
    </>
  );
}
