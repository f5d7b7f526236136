import { useState } from 'react';
import type { AccountView } from '../../../shared/contract/accounts';
import type { ProposedAction, ReconcileRow } from '../../../shared/reconcile';
import { RECONCILE_STATUSES } from '../../../shared/reconcile';
import { formatDateTime, plural } from '../../format';
import type { ScreenId } from '../../shell/navigation';
import { shownInventory, useInventory } from '../../state/inventory';
import { Badge } from '../../ui/Badge';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { PendingPlans } from '../activity/PendingPlans';
import { statusBadge } from './labels';
import { PlanDialog } from './PlanDialog';
import { RowItem } from './RowItem';
import type { PlanRequest } from './usePlan';
import { useReport } from './useReport';
import './reconcile.css';

interface ReconcileViewProps {
  account: AccountView;
  onBack: () => void;
  navigate: (screen: ScreenId) => void;
}

/** One account, both sides: every passkey here and on the server, what each state means, and fixes. */
export function ReconcileView({ account, onBack, navigate }: ReconcileViewProps) {
  const { state, load } = useReport(account.id);
  const [request, setRequest] = useState<PlanRequest | null>(null);
  const [pendingKey, setPendingKey] = useState(0);
  const inventory = useInventory();
  const stores = shownInventory(inventory.state)?.stores ?? [];
  const storeLabel = (id: string | null) =>
    id === null ? 'No store' : (stores.find((s) => s.id === id)?.label ?? id);
  const who = `${account.userName} at ${account.rpId}`;
  const entry =
    state.status === 'ready' ? state.report.accounts.find((a) => a.accountId === account.id) : undefined;

  const run = (row: ReconcileRow, action: ProposedAction) =>
    setRequest({ accountId: account.id, selection: { actionIds: [action.id] }, title: `Fix: ${row.title}` });

  return (
    <div className="screen screen-reconcile">
      <header className="screen-header">
        <div>
          <button type="button" className="link-button" onClick={onBack}>
            ← Accounts
          </button>
          <h1>Reconcile {who}</h1>
          <p className="subtle">
            Passkeys on this machine and on <span className="mono">{account.serverUrl}</span>, side by side.
          </p>
        </div>
        <div className="recon-toolbar">
          <button
            type="button"
            className="button"
            disabled={state.status === 'loading'}
            onClick={() => void load()}
          >
            Check again
          </button>
          <button
            type="button"
            className="button button-primary"
            disabled={!entry?.ok || entry.summary.fixable === 0}
            onClick={() =>
              setRequest({
                accountId: account.id,
                selection: 'all-safe',
                title: `Fix all safe ones for ${who}`,
              })
            }
          >
            Fix all safe ones{entry?.ok ? ` (${entry.summary.fixable})` : ''}
          </button>
        </div>
      </header>
      <PendingPlans key={pendingKey} onChanged={() => void load()} />
      {state.status === 'loading' && (
        <p className="loading" role="status">
          Reading this machine and the server…
        </p>
      )}
      {state.status === 'error' && <ErrorNotice error={state.error} onRetry={() => void load()} />}
      {state.status === 'ready' && !entry && <p className="subtle">This account is no longer connected.</p>}
      {state.status === 'ready' && entry && (
        <>
          {!entry.ok && entry.error && (
            <>
              <ErrorNotice error={entry.error} onRetry={() => void load()} />
              <p className="subtle">
                The account could not be read (the notice above says why), so its passkeys here are shown as
                not covered by an account and nothing offers to delete them.
              </p>
            </>
          )}
          <p className="recon-summary" aria-label="Summary">
            <span>
              Read {formatDateTime(state.report.readAt)} · {plural(entry.summary.total, 'passkey')}
              {entry.accepted !== null ? ` · the server accepts ${entry.accepted}` : ''}
            </span>
            {RECONCILE_STATUSES.filter((s) => entry.summary.counts[s] > 0).map((s) => (
              <Badge key={s} tone={statusBadge(s).tone}>
                {statusBadge(s).label}: {entry.summary.counts[s]}
              </Badge>
            ))}
          </p>
          {entry.rows.length === 0 ? (
            <p className="subtle">No passkeys for this account, here or on the server.</p>
          ) : (
            <ul className="recon-rows" aria-label={`Passkeys of ${who}`}>
              {entry.rows.map((row) => (
                <RowItem
                  key={row.key}
                  row={row}
                  storeLabel={storeLabel}
                  onRun={run}
                  onManage={() => navigate('stores')}
                />
              ))}
            </ul>
          )}
        </>
      )}
      {request && (
        <PlanDialog
          request={request}
          onClose={(changed) => {
            setRequest(null);
            if (changed) {
              setPendingKey((k) => k + 1);
              void Promise.all([load(), inventory.reload()]);
            }
          }}
        />
      )}
    </div>
  );
}
