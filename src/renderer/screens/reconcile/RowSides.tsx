import { missingCase } from '../../../shared/errors';
import type { ReconcileRow } from '../../../shared/reconcile';
import { formatDate, userLabel } from '../../format';

/** What this machine holds for the row: the store and the passkey, or why nothing is here. */
export function LocalSide({
  row,
  storeLabel,
}: {
  row: ReconcileRow;
  storeLabel: (id: string | null) => string;
}) {
  const p = row.local;
  return (
    <div className="recon-side recon-local">
      <p className="recon-side-label">This machine</p>
      {p ? (
        <>
          <p className="recon-side-main">{storeLabel(row.store)}</p>
          <p className="subtle">
            {userLabel(p)} · created {formatDate(p.createdAt)}
            {p.nickname ? ` · “${p.nickname}”` : ''}
          </p>
        </>
      ) : (
        <p className="recon-side-missing">{missingHere(row, storeLabel)}</p>
      )}
    </div>
  );
}

/** What the server lists for the row, or why it lists nothing. */
export function ServerSide({ row }: { row: ReconcileRow }) {
  const c = row.server;
  return (
    <div className="recon-side recon-server">
      <p className="recon-side-label">Server</p>
      {c ? (
        <>
          <p className="recon-side-main">{c.name ?? 'No name on the server'}</p>
          <p className="subtle">
            {c.providerName ?? 'Unknown maker'} · created {formatDate(c.createdAt)}
            {c.lastUsedAt ? ` · last used ${formatDate(c.lastUsedAt)}` : ' · never used'}
          </p>
        </>
      ) : (
        <p className="recon-side-missing">{missingOnServer(row)}</p>
      )}
    </div>
  );
}

function missingHere(row: ReconcileRow, storeLabel: (id: string | null) => string): string {
  if (row.status === 'elsewhere')
    // No store known (another computer's Passkey Desk, an unknown maker): the row's own title says where.
    return row.store === null
      ? `Not on this machine: ${row.title.replace(/^On the server, /, '')}`
      : `Not on this machine: kept in ${storeLabel(row.store)}`;
  if (row.status === 'server-orphan') return `Gone from ${storeLabel(row.store)}`;
  return 'Not on this machine';
}

function missingOnServer(row: ReconcileRow): string {
  switch (row.status) {
    case 'local-orphan':
      return 'Not accepted: removed from the account';
    case 'unmanaged':
      return 'No account connected for this site';
    case 'duplicate':
      return 'Not registered with the server';
    case 'synced':
    case 'server-orphan':
    case 'elsewhere':
      return 'Not listed';
    default:
      return missingCase(row.status);
  }
}
