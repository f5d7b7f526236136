import { useId } from 'react';
import type { StoreInfo, StoreKind } from '../../../shared/model';
import { STORE_KINDS } from '../../../shared/model';
import { storeKindLabel } from '../../format';
import { encodeFilter } from './rows';
import type { StoreFilter } from './rows';

interface ToolbarProps {
  query: string;
  onQuery: (q: string) => void;
  filter: StoreFilter;
  onFilter: (value: string) => void;
  stores: StoreInfo[];
  /** Opens "Can't sign in?" (for the selected passkey's site, when one is selected). */
  onTroubleshoot: () => void;
}

/** Search (site, account, provider, credential ID) and the store filter. */
export function Toolbar({ query, onQuery, filter, onFilter, stores, onTroubleshoot }: ToolbarProps) {
  const searchId = useId();
  const filterId = useId();
  const readable = stores.filter((s) => s.capabilities.list);
  const kinds: StoreKind[] = STORE_KINDS.filter((k) => readable.some((s) => s.kind === k));
  return (
    <div className="toolbar" role="search">
      <div className="toolbar-field toolbar-search">
        <label htmlFor={searchId} className="label">
          Search
        </label>
        <input
          id={searchId}
          className="input"
          type="search"
          placeholder="Site, account, provider or credential ID"
          value={query}
          onChange={(e) => onQuery(e.target.value)}
        />
      </div>
      <div className="toolbar-field">
        <label htmlFor={filterId} className="label">
          Store
        </label>
        <select
          id={filterId}
          className="input"
          value={encodeFilter(filter)}
          onChange={(e) => onFilter(e.target.value)}
        >
          <option value="all">All stores</option>
          <optgroup label="Kind of store">
            {kinds.map((k) => (
              <option key={k} value={encodeFilter({ by: 'kind', kind: k })}>
                {storeKindLabel(k)}
              </option>
            ))}
          </optgroup>
          <optgroup label="Store">
            {readable.map((s) => (
              <option key={s.id} value={encodeFilter({ by: 'store', id: s.id })}>
                {s.label}
                {s.count !== null ? ` (${s.count.toLocaleString()})` : ''}
              </option>
            ))}
          </optgroup>
        </select>
      </div>
      <button type="button" className="button" onClick={onTroubleshoot}>
        Can't sign in?
      </button>
    </div>
  );
}
