import type { ReconcileRow } from '../../../shared/reconcile';
import { shownInventory, useInventory } from '../../state/inventory';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { useReport } from '../reconcile/useReport';

/**
 * Passkeys on this machine for sites with no connected account: nobody can say whether their server still
 * accepts them, so nothing offers to delete them. The hint is to connect the account.
 */
export function UnassignedPasskeys({ onConnect }: { onConnect: (rpId: string) => void }) {
  const { state, load } = useReport(null);
  const inventory = useInventory();
  const stores = shownInventory(inventory.state)?.stores ?? [];
  const storeLabel = (id: string | null) => stores.find((s) => s.id === id)?.label ?? id ?? 'Unknown store';

  if (state.status === 'loading') return null;
  if (state.status === 'error') return <ErrorNotice error={state.error} onRetry={() => void load()} />;
  const rows = state.report.unassigned;
  if (rows.length === 0) return null;
  const sites = [...new Set(rows.map((r) => r.rpId))].sort();
  return (
    <section className="unassigned" aria-labelledby="unassigned-title">
      <h2 id="unassigned-title">Passkeys with no connected account</h2>
      <p className="subtle">
        Passkey Desk cannot tell whether these sites still accept these passkeys, so it never offers to delete
        them. Connect the account to check both sides.
      </p>
      <ul className="unassigned-sites" aria-label="Sites with no connected account">
        {sites.map((site) => (
          <Site
            key={site}
            site={site}
            rows={rows.filter((r) => r.rpId === site)}
            storeLabel={storeLabel}
            onConnect={onConnect}
          />
        ))}
      </ul>
    </section>
  );
}

function Site({
  site,
  rows,
  storeLabel,
  onConnect,
}: {
  site: string;
  rows: ReconcileRow[];
  storeLabel: (id: string | null) => string;
  onConnect: (rpId: string) => void;
}) {
  return (
    <li className="unassigned-site" aria-label={site}>
      <div>
        <p className="unassigned-site-name">{site}</p>
        <ul className="unassigned-passkeys">
          {rows.map((r) => (
            <li key={r.key} className="subtle">
              {r.userName ?? 'Unnamed account'} · {storeLabel(r.store)}
            </li>
          ))}
        </ul>
        <p className="unassigned-hint">
          Connect your account at {site} to see whether its server still accepts them.
        </p>
      </div>
      <button
        type="button"
        className="button"
        aria-label={`Connect an account at ${site}`}
        onClick={() => onConnect(site)}
      >
        Connect account…
      </button>
    </li>
  );
}
