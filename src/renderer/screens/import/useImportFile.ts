import { useCallback, useRef, useState } from 'react';
import type { ImportSummary, MoveOutcome } from '../../../shared/contract/stores';
import type { ErrorInfo } from '../../../shared/errors';
import { api } from '../../api';
import { useInventory } from '../../state/inventory';

export type ImportState =
  | { status: 'idle' }
  | { status: 'reading'; source: string }
  | { status: 'done'; summary: ImportSummary; moved: MoveOutcome[] }
  | { status: 'failed'; error: ErrorInfo; source: string };

/**
 * Imports one export by its path: main reads and parses the file (the private keys stay there), the page gets
 * the summary. Only the newest request's answer is applied, so a second drop while one is read wins.
 */
export function useImportFile() {
  const [state, setState] = useState<ImportState>({ status: 'idle' });
  const { reload } = useInventory();
  const generation = useRef(0);

  const importPath = useCallback(
    async (path: string) => {
      const mine = ++generation.current;
      const source = path.split(/[\\/]/).pop() ?? path;
      setState({ status: 'reading', source });
      const result = await api().imports.add({ path });
      if (mine !== generation.current) return;
      if (result.ok) {
        setState({ status: 'done', summary: result.value.summary, moved: result.value.moved });
        void reload();
      } else {
        setState({ status: 'failed', error: result.error, source });
      }
    },
    [reload],
  );

  const fail = useCallback((error: ErrorInfo, source: string) => {
    generation.current++;
    setState({ status: 'failed', error, source });
  }, []);

  return { state, importPath, fail };
}
