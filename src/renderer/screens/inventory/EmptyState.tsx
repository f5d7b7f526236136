import type { StoreInfo } from '../../../shared/model';
import { STORE_KINDS } from '../../../shared/model';
import { plural, statusLabel } from '../../format';
import { storeKindExplanation, storeKindHeading } from '../stores/store-kinds';

/** No passkeys at all: say where passkeys can come from, and what each store reported on this computer. */
export function EmptyState({ stores, onShowStores }: { stores: StoreInfo[]; onShowStores: () => void }) {
  return (
    <section className="empty" aria-labelledby="empty-heading">
      <h2 id="empty-heading">No passkeys found on this computer yet</h2>
      <p className="empty-lead">Passkey Desk looked in every store it can read. Here is what each kind of store is, and what it said:</p>
      <ul className="empty-kinds">
        {STORE_KINDS.map((kind) => {
          const ofKind = stores.filter((s) => s.kind === kind);
          return (
            <li key={kind} className="empty-kind">
              <h3>{storeKindHeading(kind)}</h3>
              <p>{storeKindExplanation(kind)}</p>
              <p className="empty-status">{kindStatus(kind === 'guided', ofKind)}</p>
            </li>
          );
        })}
      </ul>
      <button type="button" className="button" onClick={onShowStores}>
        See every store and how to manage it
      </button>
    </section>
  );
}

function kindStatus(guided: boolean, stores: StoreInfo[]): string {
  if (stores.length === 0) return 'None found on this computer.';
  if (guided) return `${plural(stores.length, 'store')} with steps to manage them: ${stores.map((s) => s.label).join(', ')}.`;
  return stores
    .map((s) => (s.status === 'available' ? `${s.label}: read, ${plural(s.count ?? 0, 'passkey')}.` : `${s.label}: ${statusLabel(s.status)}${s.reason ? ` — ${s.reason}` : '.'}`))
    .join(' ');
}
