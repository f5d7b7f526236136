import { useDeferredValue, useMemo, useRef, useState } from 'react';
import type { Passkey } from '../../../shared/model';
import { api } from '../../api';
import { formatDateTime, plural } from '../../format';
import type { ScreenProps } from '../../shell/navigation';
import { shownInventory, useInventory } from '../../state/inventory';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { openTroubleshooter } from '../doctor/target';
import { DetailPane } from './DetailPane';
import { EmptyState } from './EmptyState';
import { PasskeyList } from './PasskeyList';
import { RenameDialog } from './RenameDialog';
import { decodeFilter, filterIndexed, groupRows, indexPasskeys } from './rows';
import type { Row, StoreFilter } from './rows';
import { StoreProblems } from './StoreProblems';
import { Toolbar } from './Toolbar';
import { deleteEffect, useAfterDelete } from './useDeleteFlow';

type Dialog = { kind: 'rename'; passkey: Passkey } | { kind: 'delete'; passkey: Passkey } | null;

/** Every passkey this computer can read, grouped by site and account, with search, filter and details. */
export function InventoryScreen({ navigate }: ScreenProps) {
  const { state, reload } = useInventory();
  const inventory = shownInventory(state);
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<StoreFilter>({ by: 'all' });
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const detailHeading = useRef<HTMLHeadingElement>(null);
  const afterDelete = useAfterDelete();
  const deferredQuery = useDeferredValue(query);

  const indexed = useMemo(
    () => (inventory ? indexPasskeys(inventory.passkeys, inventory.stores) : []),
    [inventory],
  );
  const rows = useMemo(
    () => groupRows(filterIndexed(indexed, deferredQuery, filter)),
    [indexed, deferredQuery, filter],
  );
  const selectedRow = useMemo(
    () =>
      rows.find((r): r is Extract<Row, { kind: 'passkey' }> => r.kind === 'passkey' && r.key === selectedKey),
    [rows, selectedKey],
  );
  const selected = selectedRow?.passkey ?? null;
  const shownCount = rows.length === 0 ? 0 : rows.reduce((n, r) => (r.kind === 'passkey' ? n + 1 : n), 0);

  if (state.status === 'loading') {
    return (
      <div className="screen">
        <p className="loading" role="status">
          Reading your passkey stores…
        </p>
      </div>
    );
  }

  const byKey = (key: string) =>
    rows.find((r): r is Extract<Row, { kind: 'passkey' }> => r.kind === 'passkey' && r.key === key)
      ?.passkey ?? null;
  const neighbourOf = (key: string): string | null => {
    const options = rows.filter((r) => r.kind === 'passkey');
    const at = options.findIndex((r) => r.key === key);
    return (options[at + 1] ?? options[at - 1])?.key ?? null;
  };
  const requestDelete = (p: Passkey | null) => {
    if (p?.storeKind === 'vault') setDialog({ kind: 'delete', passkey: p });
  };

  return (
    <div className="screen screen-inventory">
      <header className="screen-header">
        <div>
          <h1>Passkeys</h1>
          {inventory && (
            <p className="subtle">
              {plural(inventory.passkeys.length, 'passkey')} in{' '}
              {plural(inventory.stores.filter((s) => s.status === 'available').length, 'readable store')} ·
              read {formatDateTime(inventory.readAt)}
            </p>
          )}
        </div>
        <button
          type="button"
          className="button"
          onClick={() => void reload()}
          disabled={state.status === 'ready' && state.refreshing}
        >
          Refresh
        </button>
      </header>

      {state.status === 'error' && <ErrorNotice error={state.error} onRetry={() => void reload()} />}
      {inventory && <StoreProblems stores={inventory.stores} onShowStores={() => navigate('stores')} />}

      {inventory && inventory.passkeys.length === 0 && (
        <EmptyState stores={inventory.stores} onShowStores={() => navigate('stores')} />
      )}

      {inventory && inventory.passkeys.length > 0 && (
        <>
          <Toolbar
            query={query}
            onQuery={setQuery}
            filter={filter}
            onFilter={(v) => setFilter(decodeFilter(v))}
            stores={inventory.stores}
            onTroubleshoot={() => openTroubleshooter(navigate, selected ? { rpId: selected.rpId } : {})}
          />
          <p className="result-count" role="status">
            {shownCount === inventory.passkeys.length
              ? plural(shownCount, 'passkey')
              : `${shownCount.toLocaleString()} of ${plural(inventory.passkeys.length, 'passkey')}`}
          </p>
          <div className="split">
            <div className="list-pane">
              {rows.length > 0 ? (
                <PasskeyList
                  rows={rows}
                  selectedKey={selectedKey}
                  onSelect={setSelectedKey}
                  onOpen={() => detailHeading.current?.focus()}
                  onDeleteRequest={(key) => requestDelete(byKey(key))}
                />
              ) : (
                <div className="no-matches">
                  <p>No passkeys match{query ? ` “${query}”` : ''} in this store selection.</p>
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => {
                      setQuery('');
                      setFilter({ by: 'all' });
                    }}
                  >
                    Clear search and filter
                  </button>
                </div>
              )}
            </div>
            <div className="detail-pane">
              {selected ? (
                <DetailPane
                  passkey={selected}
                  store={inventory.stores.find((s) => s.id === selected.store) ?? null}
                  headingRef={detailHeading}
                  onRename={() => setDialog({ kind: 'rename', passkey: selected })}
                  onDelete={() => requestDelete(selected)}
                />
              ) : (
                <p className="detail-placeholder">Select a passkey to see all its details.</p>
              )}
            </div>
          </div>
        </>
      )}

      {dialog?.kind === 'rename' && (
        <RenameDialog
          passkey={dialog.passkey}
          onCancel={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            void reload();
          }}
        />
      )}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          title="Delete passkey?"
          effect={deleteEffect(dialog.passkey)}
          confirmLabel="Move to trash"
          danger
          onConfirm={() => api().vault.delete({ credentialId: dialog.passkey.credentialId })}
          onCancel={() => setDialog(null)}
          onDone={({ passkey }) => {
            setDialog(null);
            setSelectedKey(neighbourOf(`${passkey.store}|${passkey.credentialId}`));
            afterDelete(passkey);
          }}
        />
      )}
    </div>
  );
}
