import { missingCase } from '../../../shared/errors';
import type { StoreInfo, StoreStatus } from '../../../shared/model';
import { plural, statusLabel, storeKindLabel } from '../../format';
import { Badge } from '../../ui/Badge';
import type { BadgeTone } from '../../ui/Badge';
import { ManageSteps } from './ManageSteps';
import { RemoveImport } from './RemoveImport';

function tone(status: StoreStatus): BadgeTone {
  switch (status) {
    case 'available':
      return 'good';
    case 'unavailable':
      return 'neutral';
    case 'locked':
    case 'needs-pin':
      return 'warn';
    case 'error':
      return 'bad';
    default:
      return missingCase(status);
  }
}

/** One store: what it is, whether it was read, why not, and how to manage its passkeys there. */
export function StoreCard({ store }: { store: StoreInfo }) {
  const headingId = `store-${store.id.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const facts = Object.entries(store.facts);
  return (
    <article
      className={`store-card store-card-${store.status}`}
      aria-labelledby={headingId}
      data-store-id={store.id}
    >
      <header className="store-card-header">
        <h3 id={headingId}>{store.label}</h3>
        <div className="store-card-badges">
          {storeKindLabel(store.kind) !== store.label && <Badge>{storeKindLabel(store.kind)}</Badge>}
          <Badge tone={tone(store.status)}>{statusLabel(store.status)}</Badge>
        </div>
      </header>
      {store.status === 'available' && (
        <p className="store-count">
          {plural(store.count ?? 0, 'passkey')}
          {store.complete ? '' : ' (this store may hold more than it lists)'}
        </p>
      )}
      {store.reason && (
        <p className={store.status === 'error' ? 'store-reason store-reason-error' : 'store-reason'}>
          {store.reason}
        </p>
      )}
      {store.manage && <ManageSteps manage={store.manage} storeLabel={store.label} />}
      {store.kind === 'export' && (
        <div className="store-card-actions">
          <RemoveImport store={store} />
        </div>
      )}
      {facts.length > 0 && (
        <details className="store-facts">
          <summary>Details</summary>
          <dl>
            {facts.map(([k, v]) => (
              <div key={k} className="field">
                <dt>{k}</dt>
                <dd>{String(v)}</dd>
              </div>
            ))}
          </dl>
        </details>
      )}
    </article>
  );
}
