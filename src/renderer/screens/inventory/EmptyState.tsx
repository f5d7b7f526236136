import { missingCase } from '../../../shared/errors';
import type { StoreInfo, StoreKind } from '../../../shared/model';
import { STORE_KINDS } from '../../../shared/model';
import { plural, statusLabel } from '../../format';
import { storeKindExplanation, storeKindHeading } from '../stores/store-kinds';

/** No passkeys at all: say where passkeys can come from, and what each store reported on this computer. */
export function EmptyState({ stores, onShowStores }: { stores: StoreInfo[]; onShowStores: () => void }) {
  // A store that failed may hold passkeys: then "none found" would be untrue.
  const failed = stores.some(
    (s) => s.status === 'error' || s.status === 'locked' || s.status === 'needs-pin',
  );
  return (
    <section className="empty" aria-labelledby="empty-heading">
      <h2 id="empty-heading">
        {failed ? 'No passkeys could be read' : 'No passkeys found on this computer yet'}
      </h2>
      <p className="empty-lead">
        {failed
          ? 'A store that should be readable failed (see above), so its passkeys are not listed. Here is what each kind of store is, and what it said:'
          : 'Passkey Desk looked in every store it can read. Here is what each kind of store is, and what it said:'}
      </p>
      <ul className="empty-kinds">
        {STORE_KINDS.map((kind) => {
          const ofKind = stores.filter((s) => s.kind === kind);
          return (
            <li key={kind} className="empty-kind">
              <h3>{storeKindHeading(kind)}</h3>
              <p>{storeKindExplanation(kind)}</p>
              <p className="empty-status">{kindStatus(kind, ofKind)}</p>
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

function noneOfKind(kind: StoreKind): string {
  switch (kind) {
    case 'vault':
    case 'windows-hello':
    case 'guided':
      return 'Not found on this computer.';
    case 'security-key':
      return 'No security key is plugged in.';
    case 'export':
      return 'No export file has been imported yet.';
    default:
      return missingCase(kind);
  }
}

function kindStatus(kind: StoreKind, stores: StoreInfo[]): string {
  if (stores.length === 0) return noneOfKind(kind);
  if (kind === 'guided')
    return `${plural(stores.length, 'store')} with steps to manage them: ${stores.map((s) => s.label).join(', ')}.`;
  return stores
    .map((s) =>
      s.status === 'available'
        ? `${s.label}: read, ${plural(s.count ?? 0, 'passkey')}.`
        : `${s.label}: ${statusLabel(s.status)}${s.reason ? ` — ${s.reason}` : '.'}`,
    )
    .join(' ');
}
