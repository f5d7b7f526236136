import type { StoreInfo } from '../../../shared/model';
import { statusLabel } from '../../format';

const NEEDS_ATTENTION: ReadonlySet<StoreInfo['status']> = new Set(['error', 'locked', 'needs-pin']);

/** Stores that should have been read but were not: their passkeys are missing from the list below. */
export function StoreProblems({ stores, onShowStores }: { stores: StoreInfo[]; onShowStores: () => void }) {
  const problems = stores.filter((s) => NEEDS_ATTENTION.has(s.status));
  if (problems.length === 0) return null;
  return (
    <div className="notice notice-warn" role="alert">
      <p className="notice-title">Some stores could not be read; their passkeys are not in this list.</p>
      <ul className="problem-list">
        {problems.map((s) => (
          <li key={s.id}>
            <strong>
              {s.label} ({statusLabel(s.status)}):
            </strong>{' '}
            {s.reason ?? 'No reason given.'}
          </li>
        ))}
      </ul>
      <button type="button" className="button button-small" onClick={onShowStores}>
        Open Stores
      </button>
    </div>
  );
}
