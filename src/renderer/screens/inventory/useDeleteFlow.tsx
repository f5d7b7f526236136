import type { Passkey } from '../../../shared/model';
import { api } from '../../api';
import { userLabel } from '../../format';
import { useToasts } from '../../shell/toasts';
import { useInventory } from '../../state/inventory';

/** The exact sentence the delete confirmation shows. */
export function deleteEffect(p: Passkey): string {
  return `Moves the passkey for ${userLabel(p)} on ${p.rpId} to the Passkey Desk trash. You can restore it from the trash.`;
}

/** After a vault delete: re-read the inventory and offer Undo (a restore from the trash). */
export function useAfterDelete(): (p: Passkey) => void {
  const { reload } = useInventory();
  const toasts = useToasts();
  return (p: Passkey) => {
    void reload();
    toasts.show({
      message: `Moved the passkey for ${userLabel(p)} on ${p.rpId} to the trash.`,
      action: {
        label: 'Undo',
        run: async () => {
          const result = await api().vault.restore({ credentialId: p.credentialId });
          if (!result.ok) {
            toasts.showError(result.error);
            return;
          }
          await reload();
          toasts.show({ message: `Restored the passkey for ${userLabel(p)} on ${p.rpId}.` });
        },
      },
    });
  };
}
