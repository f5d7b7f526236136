import type { ReactNode, RefObject } from 'react';
import type { Passkey, StoreInfo } from '../../../shared/model';
import {
  algorithmLabel,
  formatDateTime,
  providerLabel,
  storeKindLabel,
  userLabel,
  yesNo,
} from '../../format';
import { Badge } from '../../ui/Badge';
import { CopyButton } from '../../ui/CopyButton';
import { ProviderIcon } from '../../ui/ProviderIcon';
import { OtherStoreActions } from './OtherStoreActions';

interface DetailPaneProps {
  passkey: Passkey;
  store: StoreInfo | null;
  headingRef: RefObject<HTMLHeadingElement | null>;
  onRename: () => void;
  onDelete: () => void;
}

/** Every field of one passkey, and what can be done with it from here. */
export function DetailPane({ passkey, store, headingRef, onRename, onDelete }: DetailPaneProps) {
  const inVault = passkey.storeKind === 'vault';
  const provider = providerLabel(passkey);
  return (
    <section className="detail" aria-labelledby="detail-heading">
      <header className="detail-header">
        <ProviderIcon passkey={passkey} />
        <div>
          <h2 id="detail-heading" ref={headingRef} tabIndex={-1}>
            {userLabel(passkey)} on {passkey.rpId}
          </h2>
          <div className="detail-badges">
            <Badge tone="accent">{store?.label ?? passkey.store}</Badge>
            <Badge>{storeKindLabel(passkey.storeKind)}</Badge>
            {provider && provider !== store?.label && <Badge>{provider}</Badge>}
          </div>
        </div>
      </header>

      {inVault && (
        <div className="detail-actions">
          <button type="button" className="button" onClick={onRename}>
            Rename…
          </button>
          <button type="button" className="button button-danger" onClick={onDelete}>
            Delete…
          </button>
        </div>
      )}

      {!inVault && (
        <OtherStoreActions key={`${passkey.store}|${passkey.credentialId}`} passkey={passkey} store={store} />
      )}

      <dl className="fields">
        <Field name="Site (RP ID)">{passkey.rpId}</Field>
        <Field name="User name">{passkey.userName ?? 'Not kept by this store'}</Field>
        <Field name="Display name">{passkey.userDisplayName ?? 'Not kept by this store'}</Field>
        <Field name="Nickname">{passkey.nickname ?? 'None'}</Field>
        <Field name="Store">{store?.label ?? passkey.store}</Field>
        <Field name="Store kind">{storeKindLabel(passkey.storeKind)}</Field>
        <Field name="Provider">{provider ?? 'Unknown'}</Field>
        <Field name="Created">{formatDateTime(passkey.createdAt)}</Field>
        <Field name="Last used">{formatDateTime(passkey.lastUsedAt, 'Never')}</Field>
        <Field name="Credential ID">
          <span className="copyable">
            <code className="mono wrap" data-testid="credential-id">
              {passkey.credentialId}
            </code>
            <CopyButton value={passkey.credentialId} label="Copy credential ID" />
          </span>
        </Field>
        <Field name="User handle">
          {passkey.userHandle ? (
            <code className="mono wrap">{passkey.userHandle}</code>
          ) : (
            'Not kept by this store'
          )}
        </Field>
        <Field name="Algorithm">{algorithmLabel(passkey.algorithm)}</Field>
        <Field name="AAGUID">
          {passkey.aaguid ? <code className="mono">{passkey.aaguid}</code> : 'Unknown'}
        </Field>
        <Field name="Backup eligible">{yesNo(passkey.backupEligible)}</Field>
        <Field name="Backed up">{yesNo(passkey.backedUp)}</Field>
        <Field name="Discoverable">{yesNo(passkey.discoverable)}</Field>
        <Field name="Removable from here">{yesNo(passkey.removable)}</Field>
      </dl>
    </section>
  );
}

function Field({ name, children }: { name: string; children: ReactNode }) {
  return (
    <div className="field">
      <dt>{name}</dt>
      <dd>{children}</dd>
    </div>
  );
}
