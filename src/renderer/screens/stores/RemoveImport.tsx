import { useState } from 'react';
import type { StoreInfo } from '../../../shared/model';
import { api } from '../../api';
import { plural } from '../../format';
import { useToasts } from '../../shell/toasts';
import { useInventory } from '../../state/inventory';
import { ConfirmDialog } from '../../ui/ConfirmDialog';

/** Forgets an imported export (imports.remove): its passkeys leave the inventory; the file itself stays. */
export function RemoveImport({ store }: { store: StoreInfo }) {
  const [asking, setAsking] = useState(false);
  const { reload } = useInventory();
  const toasts = useToasts();
  const count = store.count === null ? 'its passkeys' : plural(store.count, 'passkey');
  return (
    <>
      <button type="button" className="button button-small" onClick={() => setAsking(true)}>
        Remove from Passkey Desk…
      </button>
      {asking && (
        <ConfirmDialog
          title="Remove imported file?"
          effect={`Removes “${store.label}” and ${count} from the inventory. Passkeys already moved into the vault stay there. The file itself is not deleted: delete it yourself, it holds private keys in plain text.`}
          confirmLabel="Remove"
          onConfirm={() => api().imports.remove({ storeId: store.id })}
          onCancel={() => setAsking(false)}
          onDone={() => {
            setAsking(false);
            void reload();
            toasts.show({
              message: `Removed “${store.label}” from Passkey Desk. The file itself was not touched.`,
            });
          }}
        />
      )}
    </>
  );
}
