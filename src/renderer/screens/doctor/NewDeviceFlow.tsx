import { useState } from 'react';
import type { NewDeviceAdded, NewDeviceRetire, OldPasskey } from '../../../shared/contract/doctor';
import type { ErrorInfo } from '../../../shared/errors';
import { shortId } from '../../../shared/model';
import type { Result } from '../../../shared/result';
import { api } from '../../api';
import { plural } from '../../format';
import { Badge } from '../../ui/Badge';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { OldPasskeys } from './OldPasskeys';
import { RetireDialog } from './RetireDialog';

type Busy = 'adding' | 'listing' | 'planning' | null;

/**
 * "I got a new device": create the new passkey first and prove it signs in, then let the user mark the passkeys
 * that belonged to old devices, and revoke them only through a plan they confirm.
 */
export function NewDeviceFlow({ accountId, accountName }: { accountId: string; accountName: string }) {
  const [added, setAdded] = useState<NewDeviceAdded | null>(null);
  const [candidates, setCandidates] = useState<OldPasskey[] | null>(null);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState<Busy>(null);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [retire, setRetire] = useState<NewDeviceRetire | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const newId = added?.passkey.credentialId ?? null;
  const choosable = candidates?.filter((c) => c.credentialId !== newId).length ?? 0;

  const call = async <T,>(what: Exclude<Busy, null>, run: () => Promise<Result<T>>, then: (v: T) => void) => {
    setBusy(what);
    setError(null);
    const result = await run();
    setBusy(null);
    if (result.ok) then(result.value);
    else setError(result.error);
  };
  const create = () =>
    call(
      'adding',
      () => api().doctor.newDeviceAdd({ accountId }),
      (value) => {
        setAdded(value);
        setCandidates(value.others);
      },
    );
  const list = () =>
    call(
      'listing',
      () => api().doctor.newDeviceCandidates({ accountId }),
      (value) => setCandidates(value),
    );
  const plan = () =>
    call(
      'planning',
      () => api().doctor.newDeviceRetire({ accountId, credentialIds: [...chosen] }),
      (value) => setRetire(value),
    );
  const toggle = (id: string, on: boolean) =>
    setChosen((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <section className="doctor-new-device" aria-label="New device">
      <h2>I got a new device</h2>
      <p className="subtle">
        Set up the new passkey first, then remove the old ones: for {accountName}, Passkey Desk creates a
        passkey in its vault, registers it with the account and signs in with it once to prove it works.
        Nothing is removed until you choose the old devices' passkeys and confirm.
      </p>
      {error && <ErrorNotice error={error} />}
      <ol className="doctor-steps">
        <li className="doctor-step">
          <h3>1. Create the new passkey and confirm it signs in</h3>
          {added ? (
            <p className="doctor-step-done" role="status">
              <Badge tone={added.confirmed ? 'good' : 'warn'}>
                {added.confirmed ? 'Signs in' : 'Sign-in not confirmed'}
              </Badge>{' '}
              Created passkey <span className="mono">{shortId(added.passkey.credentialId)}</span> in the
              Passkey Desk vault and registered it with the account.{' '}
              {added.confirmed
                ? 'A sign-in that only this passkey could answer succeeded.'
                : 'The sign-in with it did not succeed: keep your old passkeys for now.'}
            </p>
          ) : (
            <p className="doctor-step-actions">
              <button
                type="button"
                className="button button-primary"
                disabled={busy !== null}
                onClick={() => void create()}
              >
                {busy === 'adding' ? 'Creating and signing in…' : 'Create a passkey on this computer'}
              </button>
              {candidates === null && (
                <button type="button" className="button" disabled={busy !== null} onClick={() => void list()}>
                  {busy === 'listing' ? 'Reading…' : 'I already set it up: choose the old ones'}
                </button>
              )}
            </p>
          )}
        </li>
        {candidates !== null && (
          <li className="doctor-step">
            <h3>2. Choose the passkeys that were on your old devices</h3>
            {done && (
              <p className="doctor-step-done" role="status">
                {done}
              </p>
            )}
            {choosable > 0 && (
              <p className="subtle">
                Check the passkeys no device of yours holds any more. Unchecked ones stay; checked ones are
                revoked only after you confirm the plan.
              </p>
            )}
            <OldPasskeys candidates={candidates} newId={newId} chosen={chosen} onToggle={toggle} />
            {choosable > 0 && (
              <p className="doctor-step-actions">
                <button
                  type="button"
                  className="button button-primary"
                  disabled={busy !== null || chosen.size === 0}
                  onClick={() => void plan()}
                >
                  {busy === 'planning' ? 'Planning…' : `Plan removing ${plural(chosen.size, 'passkey')}…`}
                </button>
              </p>
            )}
          </li>
        )}
      </ol>
      {retire && (
        <RetireDialog
          retire={retire}
          candidates={candidates ?? []}
          onClose={(outcome) => {
            setRetire(null);
            if (!outcome) return;
            const revoked = outcome.steps.filter((s) => s.outcome === 'done').length;
            setDone(
              revoked === outcome.steps.length
                ? `Removed ${plural(revoked, "old device's passkey", "old devices' passkeys")}.`
                : `Removed ${revoked} of ${outcome.steps.length}: see Activity for the steps that did not run.`,
            );
            setChosen(new Set());
            void list();
          }}
        />
      )}
    </section>
  );
}
