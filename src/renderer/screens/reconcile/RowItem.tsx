import { useId } from 'react';
import { shortId } from '../../../shared/model';
import type { ProposedAction, ReconcileRow } from '../../../shared/reconcile';
import { EXECUTABLE_KINDS } from '../../../shared/reconcile';
import { formatDate } from '../../format';
import { Badge } from '../../ui/Badge';
import { actionLabel, guardLabel, statusBadge } from './labels';
import { LocalSide, ServerSide } from './RowSides';

const isExecutable = (a: ProposedAction) => (EXECUTABLE_KINDS as readonly string[]).includes(a.kind);

/** The action behind a row's Fix button: its safe one, else the one a guard holds back (the dialog shows why). */
export function fixAction(row: ReconcileRow): ProposedAction | null {
  return (
    row.actions.find((a) => isExecutable(a) && a.safe) ??
    row.actions.find((a) => isExecutable(a) && a.guard) ??
    null
  );
}

interface RowItemProps {
  row: ReconcileRow;
  storeLabel: (storeId: string | null) => string;
  onRun: (row: ReconcileRow, action: ProposedAction) => void;
  onManage: () => void;
}

/** One passkey, this machine on the left and the server on the right, with what it means and how to fix it. */
export function RowItem({ row, storeLabel, onRun, onManage }: RowItemProps) {
  const titleId = useId();
  const badge = statusBadge(row.status);
  const fix = fixAction(row);
  const others = row.actions.filter((a) => a !== fix);
  return (
    <li className={`recon-row recon-${row.status}`} aria-labelledby={titleId} data-status={row.status}>
      <div className="recon-sides">
        <LocalSide row={row} storeLabel={storeLabel} />
        <div className="recon-link" aria-hidden="true">
          ⇄
        </div>
        <ServerSide row={row} />
      </div>
      <div className="recon-body">
        <h3 id={titleId} className="recon-title">
          <Badge tone={badge.tone}>{badge.label}</Badge> {row.title}
        </h3>
        <p className="recon-explanation">{row.explanation}</p>
        <p className="subtle recon-id">
          Passkey <span className="mono">{shortId(row.credentialId)}</span>
          {row.local?.lastUsedAt ? ` · last used here ${formatDate(row.local.lastUsedAt)}` : ''}
        </p>
      </div>
      {(fix || others.length > 0) && (
        <div className="recon-actions">
          {fix && (
            <div className="recon-fix">
              <button type="button" className="button button-primary" onClick={() => onRun(row, fix)}>
                Fix…
              </button>
              <span className="recon-effect">
                {fix.effect}
                {fix.guard && (
                  <>
                    {' '}
                    <Badge tone="warn">Guard: {guardLabel(fix.guard)}</Badge>
                  </>
                )}
              </span>
            </div>
          )}
          {others.map((a) =>
            isExecutable(a) ? (
              <button
                key={a.id}
                type="button"
                className="button button-small"
                title={a.effect}
                onClick={() => onRun(row, a)}
              >
                {actionLabel(a.kind)}…
              </button>
            ) : a.kind === 'open-store' ? (
              <button
                key={a.id}
                type="button"
                className="button button-small"
                title={a.effect}
                onClick={onManage}
              >
                {actionLabel(a.kind)}
              </button>
            ) : (
              <span key={a.id} className="subtle recon-hint">
                {a.effect}
              </span>
            ),
          )}
        </div>
      )}
    </li>
  );
}
