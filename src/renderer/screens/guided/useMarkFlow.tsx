import { useState } from 'react';
import type { DeletionMarkView } from '../../../shared/contract/stores';
import { api } from '../../api';
import { useToasts } from '../../shell/toasts';
import { MarkDialog } from './MarkDialog';
import type { MarkTarget } from './MarkDialog';

/** Opens the mark dialog for a target; after marking, a toast offers Undo (guided.unmark). */
export function useMarkFlow(onChanged: () => void) {
  const [target, setTarget] = useState<MarkTarget | null>(null);
  const toasts = useToasts();

  const done = (mark: DeletionMarkView, label: string) => {
    setTarget(null);
    onChanged();
    toasts.show({
      message: `Marked ${mark.credentialId ? 'the passkey' : 'the passkeys'} for ${mark.rpId} as deleted in ${label}.`,
      action: {
        label: 'Undo',
        run: async () => {
          const r = await api().guided.unmark({ id: mark.id });
          if (!r.ok) toasts.showError(r.error);
          else toasts.show({ message: `Removed the mark for ${mark.rpId}.` });
          onChanged();
        },
      },
    });
  };

  const dialog = target && (
    <MarkDialog target={target} onCancel={() => setTarget(null)} onDone={(m) => done(m, target.storeLabel)} />
  );
  return { open: setTarget, dialog };
}
