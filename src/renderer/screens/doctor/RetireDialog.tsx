import { useState } from 'react';
import type { ApplyOutcome } from '../../../shared/contract/accounts';
import type { NewDeviceRetire, OldPasskey } from '../../../shared/contract/doctor';
import type { ErrorInfo } from '../../../shared/errors';
import { shortId } from '../../../shared/model';
import { api } from '../../api';
import { plural } from '../../format';
import { Dialog } from '../../ui/Dialog';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { passkeyName } from './labels';
import { RetireSteps } from './RetireSteps';

type Phase = { phase: 'review' } | { phase: 'applying' } | { phase: 'finished'; outcome: ApplyOutcome };

/**
 * The revoke plan the new-device flow built: each step's exact effect, what was recorded as deleted on the old
 * devices, and what was left out; reconcile applies it only when the user confirms. `onClose` gets the outcome
 * when it ran.
 */
export function RetireDialog({
  retire,
  candidates,
  onClose,
}: {
  retire: NewDeviceRetire;
  /** The passkeys the user chose from, to name each step's passkey. */
  candidates: readonly OldPasskey[];
  onClose: (outcome: ApplyOutcome | null) => void;
}) {
  const [state, setState] = useState<Phase>({ phase: 'review' });
  const [error, setError] = useState<ErrorInfo | null>(null);
  const { plan, marked, skipped } = retire;
  const named = (id: string) => {
    const c = candidates.find((x) => x.credentialId === id);
    return c ? `${passkeyName(c)} ${c.shortId}` : shortId(id);
  };
  const close = () => {
    if (state.phase !== 'applying') onClose(state.phase === 'finished' ? state.outcome : null);
  };
  const apply = async () => {
    setError(null);
    setState({ phase: 'applying' });
    const result = await api().reconcile.apply({ planId: plan.planId, confirm: true });
    if (result.ok) setState({ phase: 'finished', outcome: result.value });
    else {
      setState({ phase: 'review' });
      setError(result.error);
    }
  };
  const description =
    state.phase === 'finished'
      ? 'The plan has run. The outcome of each step is below and in Activity.'
      : plan.steps.length === 0
        ? 'Nothing will run.'
        : `Passkey Desk will run ${plural(plan.steps.length, 'step')}, in this order, and nothing else.`;

  return (
    <Dialog title="Remove the old devices' passkeys" description={description} onClose={close}>
      <div className="plan-dialog">
        {error && <ErrorNotice error={error} />}
        {state.phase === 'finished' ? (
          <section className="plan-outcome" aria-label="Outcome">
            <RetireSteps plan={plan} candidates={candidates} outcome={state.outcome} />
          </section>
        ) : plan.steps.length > 0 ? (
          <RetireSteps plan={plan} candidates={candidates} outcome={null} />
        ) : (
          <p className="plan-empty">Nothing to run: none of the chosen passkeys can be revoked from here.</p>
        )}
        {state.phase !== 'finished' && marked.length > 0 && (
          <p className="doctor-retire-note">
            Recorded as deleted on their old device: {marked.map(named).join(', ')} (undo in Activity).
          </p>
        )}
        {state.phase !== 'finished' && (skipped.length > 0 || plan.blocked.length > 0) && (
          <ul className="doctor-retire-skipped" aria-label="Left out">
            {skipped.map((s) => (
              <li key={s.credentialId}>
                {shortId(s.credentialId)}: {s.reason}
              </li>
            ))}
            {plan.blocked.map((b) => (
              <li key={b.actionId}>{b.reason}</li>
            ))}
          </ul>
        )}
        {state.phase === 'applying' && (
          <p className="loading" role="status">
            Applying the plan…
          </p>
        )}
        <div className="dialog-actions">
          {state.phase === 'finished' ? (
            <button type="button" className="button button-primary" data-autofocus onClick={close}>
              Close
            </button>
          ) : (
            <>
              <button
                type="button"
                className="button"
                data-autofocus
                disabled={state.phase === 'applying'}
                onClick={close}
              >
                Cancel
              </button>
              <button
                type="button"
                className="button button-danger"
                disabled={state.phase === 'applying' || plan.steps.length === 0}
                onClick={() => void apply()}
              >
                {state.phase === 'applying'
                  ? 'Applying…'
                  : plan.steps.every((s) => s.kind === 'revoke-server')
                    ? `Revoke ${plural(plan.steps.length, 'passkey')}`
                    : `Apply ${plural(plan.steps.length, 'step')}`}
              </button>
            </>
          )}
        </div>
      </div>
    </Dialog>
  );
}
