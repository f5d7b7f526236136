import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ImportedFilesStore } from '../../src/main/stores/exports/imported-files-store';
import { moveIntoVault, planVaultMove } from '../../src/main/stores/exports/to-vault';
import { VaultStore } from '../../src/main/stores/vault/vault-store';
import type { RunningServer } from '../../src/server';
import { startServer } from '../../src/server';
import { toBase64url } from '../../src/shared/base64url';
import { SoftAuthenticator } from '../helpers/soft-authenticator';
import { TestVerifier } from '../helpers/test-verifier';
import { authOptions, signUp, verifyAssertion } from '../server/support';
import { MemorySecrets } from './helpers';

describe('a passkey moved from an export into the vault signs in to the reference server', () => {
  let server: RunningServer;
  beforeEach(async () => {
    server = await startServer({ port: 0 });
  });
  afterEach(async () => server.close());

  it.each(['bitwarden', 'cxf'] as const)('from a %s file', async (format) => {
    // A passkey registered on the server by some other authenticator, whose key then ends up in an export.
    const phone = new SoftAuthenticator();
    const account = await signUp(server, phone, 'alice');
    const credential = phone.credentials[0]!;
    const key = toBase64url(SoftAuthenticator.pkcs8(credential));
    const doc =
      format === 'bitwarden'
        ? {
            encrypted: false,
            items: [
              {
                type: 1,
                name: 'localhost',
                login: {
                  fido2Credentials: [
                    {
                      credentialId: `b64.${credential.id}`,
                      keyType: 'public-key',
                      keyAlgorithm: 'ECDSA',
                      keyCurve: 'P-256',
                      keyValue: key,
                      rpId: credential.rpId,
                      userHandle: credential.userHandle,
                      userName: 'alice',
                      counter: String(credential.signCount),
                      discoverable: 'true',
                      creationDate: new Date().toISOString(),
                    },
                  ],
                },
              },
            ],
          }
        : {
            version: { major: 1, minor: 0 },
            exporterRpId: 'manager.example',
            exporterDisplayName: 'Example Manager',
            timestamp: 0,
            accounts: [
              {
                id: 'AA',
                username: 'alice',
                email: '',
                collections: [],
                items: [
                  {
                    id: 'AQ',
                    title: 'localhost',
                    credentials: [
                      {
                        type: 'passkey',
                        credentialId: credential.id,
                        rpId: credential.rpId,
                        username: 'alice',
                        userDisplayName: 'Alice',
                        userHandle: credential.userHandle,
                        key,
                      },
                    ],
                  },
                ],
              },
            ],
          };
    const dataDir = await mkdtemp(join(tmpdir(), 'pkd-move-'));
    const file = join(dataDir, `export-${format}.json`);
    await writeFile(file, JSON.stringify(doc));

    const { parsed, record } = await new ImportedFilesStore({ dataDir }).importFile(file);
    expect(record.movableCount).toBe(1);
    const vault = new VaultStore({ dataDir, secrets: new MemorySecrets(), verifier: new TestVerifier() });
    const outcomes = await moveIntoVault(vault, planVaultMove(parsed, [credential.id], record.fileName));
    expect(outcomes).toEqual([expect.objectContaining({ credentialId: credential.id, ok: true })]);

    const options = await authOptions(server, 'alice');
    const { response } = await vault.sign({
      rpId: credential.rpId,
      origin: server.origin,
      challenge: options.challenge,
    });
    expect(response.id).toBe(credential.id);
    const verified = await verifyAssertion(server, response);
    expect(verified.status, JSON.stringify(verified.json)).toBe(200);
    expect(verified.json.user.id).toBe(account.userId);
  });
});
