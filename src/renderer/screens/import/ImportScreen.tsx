import { useState } from 'react';
import { missingCase } from '../../../shared/errors';
import { api } from '../../api';
import type { ScreenProps } from '../../shell/navigation';
import { DropZone } from './DropZone';
import { ImportProblem } from './ImportProblem';
import { ImportResult } from './ImportResult';
import { useImportFile } from './useImportFile';
import type { ImportState } from './useImportFile';
import './import.css';

/**
 * Import a password-manager export (issue #8): choose it or drop it, see what it holds, move what the vault can
 * take. The page only ever handles the file's path; main reads it.
 */
export function ImportScreen({ navigate }: ScreenProps) {
  const { state, importPath, fail } = useImportFile();
  const [picking, setPicking] = useState(false);

  const choose = async () => {
    setPicking(true);
    const picked = await api().imports.pickFile({});
    setPicking(false);
    if (!picked.ok) fail(picked.error, 'the file dialog');
    else if (picked.value) void importPath(picked.value.path);
  };

  return (
    <div className="screen screen-import">
      <header className="screen-header">
        <div>
          <h1>Import</h1>
          <p className="subtle">
            Bring passkeys in from a password manager’s export: see them in the inventory, and move the ones
            the vault can sign with into it.
          </p>
        </div>
      </header>
      <DropZone
        busy={picking || state.status === 'reading'}
        compact={state.status !== 'idle'}
        onChoose={() => void choose()}
        onPath={(path) => void importPath(path)}
        onRefused={(message) => fail({ code: 'INVALID_INPUT', message }, 'the dropped item')}
      />
      <Outcome state={state} onShowInventory={() => navigate('inventory')} />
    </div>
  );
}

function Outcome({ state, onShowInventory }: { state: ImportState; onShowInventory: () => void }) {
  switch (state.status) {
    case 'idle':
      return null;
    case 'reading':
      return (
        <p className="loading" role="status">
          Reading “{state.source}”…
        </p>
      );
    case 'failed':
      return <ImportProblem error={state.error} source={state.source} />;
    case 'done':
      return (
        <ImportResult
          key={state.summary.storeId}
          summary={state.summary}
          moved={state.moved}
          onShowInventory={onShowInventory}
        />
      );
    default:
      return missingCase(state);
  }
}
