import { fromBase64url } from '../base64url';
import { buildPasskey, credentialIdFromBase64, readKey } from './build';
import { optionalString, requiredString, rpIdField, userHandleField } from './fields';
import { pemBody } from './pkcs8';
import { Problems } from './problems';
import type { KeyReading } from './build';
import type { ParseOptions, ParsedImport } from './types';

/**
 * KeePassXC's `.passkey` file: one JSON object per passkey, written by its PasskeyExporter with the members
 * relyingParty, url, username, credentialId, userHandle (base64url) and privateKey (a PKCS#8 PEM block).
 * KeePassXC never counts signatures (its counter is always 0) and the file holds no creation date.
 */

/** KeePassXC's authenticator AAGUID (BrowserPasskeys::AAGUID). */
export const KEEPASSXC_AAGUID = 'fdb141b2-5d84-443e-8a35-4698c205a502';

const WHAT_TO_DO =
  'Export the passkey again from KeePassXC (its passkey export writes one ".passkey" file per entry) and import that file.';

export function isKeePassXcPasskey(doc: Record<string, unknown>): boolean {
  return 'relyingParty' in doc || ('privateKey' in doc && 'credentialId' in doc && !('accounts' in doc));
}

export function parseKeePassXc(doc: Record<string, unknown>, options: ParseOptions): ParsedImport {
  const p = new Problems(options.fileName, 'keepassxc');
  return p.run(() => {
    const idText = requiredString(p, doc, '', 'credentialId');
    const id = idText === null ? null : credentialIdFromBase64(p, idText, 'credentialId');
    const rpId = rpIdField(p, requiredString(p, doc, '', 'relyingParty'), 'relyingParty');
    const userHandle = userHandleField(p, optionalString(p, doc, '', 'userHandle'), 'userHandle');
    const userName = optionalString(p, doc, '', 'username');
    optionalString(p, doc, '', 'url'); // not used, but a wrong type still means a damaged file
    const pem = requiredString(p, doc, '', 'privateKey');
    let key: KeyReading | null = null;
    if (pem !== null) {
      const body = pemBody(pem);
      if (!body.ok) p.add('privateKey', body.reason);
      else {
        let der: Uint8Array | null = null;
        try {
          der = fromBase64url(body.base64);
        } catch {
          p.add('privateKey', 'the PEM block is not valid base64');
        }
        if (der) key = readKey(p, der, 'privateKey');
      }
    }
    if (id === null || rpId === null || key === null)
      return { format: 'keepassxc', exporter: 'KeePassXC', passkeys: [] };
    const passkey = buildPasskey(
      options,
      {
        credentialId: id,
        rpId,
        userHandle,
        userName,
        userDisplayName: null,
        createdAt: null,
        aaguid: KEEPASSXC_AAGUID,
        providerName: 'KeePassXC',
        discoverable: true,
        signCount: 0,
        sourcePath: '',
      },
      key,
    );
    return { format: 'keepassxc', exporter: 'KeePassXC', passkeys: [passkey] };
  }, WHAT_TO_DO);
}
