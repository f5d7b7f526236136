import { useMemo, useState } from 'react';
import type { ImportSummary, MoveOutcome } from '../../../shared/contract/stores';
import { api } from '../../api';
import { algorithmLabel, plural, userLabel } from '../../format';
import { useToasts } from '../../shell/toasts';
import { useInventory } from '../../state/inventory';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ImportedPasskeyItem } from './ImportedPasskeyItem';

interface ImportResultProps {
  summary: ImportSummary;
  moved: MoveOutcome[];
  onShowInventory: () => void;
}

/** What an imported export holds, which passkeys can move into the vault (and why not), and the move itself. */
export function ImportResult({ summary, moved, onShowInventory }: ImportResultProps) {
  const toasts = useToasts();
  const { reload } = useInventory();
  const [outcomes, setOutcomes] = useState<ReadonlyMap<string, MoveOutcome>>(
    () => new Map(moved.map((o) => [o.credentialId, o])),
  );
  const movable = useMemo(() => new Set(summary.movable), [summary.movable]);
  const reasons = useMemo(
    () => new Map(summary.notMovable.map((n) => [n.credentialId, n.reason])),
    [summary.notMovable],
  );
  const canSelect = (id: string) => movable.has(id) && outcomes.get(id)?.ok !== true;
  const [selected, setSelected] = useState<ReadonlySet<string>>(
    () => new Set(summary.movable.filter(canSelect)),
  );
  const [confirming, setConfirming] = useState(false);
  const chosen = summary.movable.filter((id) => selected.has(id) && canSelect(id));
  const selectable = summary.movable.filter(canSelect);

  const toggle = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const afterMove = (results: MoveOutcome[]) => {
    setConfirming(false);
    setOutcomes((o) => new Map([...o, ...results.map((r) => [r.credentialId, r] as const)]));
    setSelected(new Set());
    void reload();
    const done = results.filter((r) => r.ok).length;
    const failed = results.length - done;
    toasts.show({
      tone: failed > 0 ? 'error' : 'info',
      message: `Moved ${plural(done, 'passkey')} into the vault${failed > 0 ? `; ${failed} could not be moved (see the list)` : ''}.`,
    });
  };

  return (
    <section className="import-result" aria-labelledby="import-result-heading">
      <h2 id="import-result-heading">Imported “{summary.fileName}”</h2>
      <dl className="import-facts">
        <div className="field">
          <dt>Format</dt>
          <dd>{summary.format}</dd>
        </div>
        <div className="field">
          <dt>Passkeys</dt>
          <dd>{summary.count.toLocaleString()}</dd>
        </div>
        <div className="field">
          <dt>Can move into the vault</dt>
          <dd>{summary.movable.length.toLocaleString()}</dd>
        </div>
        <div className="field">
          <dt>Cannot move</dt>
          <dd>{summary.notMovable.length.toLocaleString()}</dd>
        </div>
      </dl>
      <p>
        {summary.alreadyImported
          ? 'This file was imported before: its store was refreshed, not added twice. '
          : ''}
        Its passkeys are in the inventory as a read-only store, “{summary.label}”.{' '}
        <button type="button" className="link-button" onClick={onShowInventory}>
          Show them in Passkeys
        </button>
      </p>
      <div className="notice notice-warn" role="note" aria-label="Delete the export file">
        <p className="notice-title">Delete “{summary.fileName}” when you are done</p>
        <p>
          An export holds private keys in plain text: anyone who copies the file can sign in as you. Move what
          you need into the vault, then delete the file and empty the trash or recycle bin. Passkey Desk only
          reads it; it never changes or deletes it.
        </p>
      </div>

      <div className="import-list-header">
        <h3>Passkeys in the file</h3>
        {selectable.length > 0 && (
          <div className="import-select">
            <button
              type="button"
              className="button button-small"
              onClick={() => setSelected(new Set(selectable))}
            >
              Select all movable
            </button>
            <button type="button" className="button button-small" onClick={() => setSelected(new Set())}>
              Select none
            </button>
          </div>
        )}
      </div>
      <ul className="import-list" aria-label={`Passkeys in ${summary.fileName}`}>
        {summary.passkeys.map((p) => (
          <ImportedPasskeyItem
            key={p.credentialId}
            name={`${userLabel(p)} on ${p.rpId}`}
            algorithm={algorithmLabel(p.algorithm)}
            reason={reasons.get(p.credentialId) ?? null}
            outcome={outcomes.get(p.credentialId) ?? null}
            selectable={canSelect(p.credentialId)}
            checked={selected.has(p.credentialId)}
            onToggle={(on) => toggle(p.credentialId, on)}
          />
        ))}
      </ul>
      <div className="import-actions">
        <button
          type="button"
          className="button button-primary"
          disabled={chosen.length === 0}
          onClick={() => setConfirming(true)}
        >
          Move {chosen.length} into the vault…
        </button>
      </div>

      {confirming && (
        <ConfirmDialog
          title={`Move ${plural(chosen.length, 'passkey')} into the vault?`}
          effect={`Copies the private keys of ${plural(chosen.length, 'passkey')} from “${summary.fileName}” into the Passkey Desk vault, sealed with the vault key in your system keyring. The export file is not changed: delete it yourself afterwards.`}
          confirmLabel={`Move ${chosen.length} into the vault`}
          onConfirm={() => api().imports.moveToVault({ storeId: summary.storeId, credentialIds: chosen })}
          onCancel={() => setConfirming(false)}
          onDone={afterMove}
        />
      )}
    </section>
  );
}
