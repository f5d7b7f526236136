/**
 * Benchmark fixture: N users with one ES256 passkey each, written straight into the server's database through
 * its own schema (registering 10,000 users over HTTP would measure registration, not sign-in). The private
 * keys go to a file for the load generator, which signs real assertions with them.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { generateDetachedKeyPair } from '../src/main/crypto/generate-key-pair';
import type { Database } from '../src/server/db/schema';
import { coseFromKey } from '../test/helpers/soft-authenticator';

export interface SeededKey {
  id: string;
  userHandle: string;
  /** PKCS#8 DER, base64. */
  pkcs8: string;
}

export async function seedUsers(db: Kysely<Database>, count: number, keyFile: string): Promise<void> {
  const keys: SeededKey[] = [];
  const now = Date.now();
  const batch = 500;
  for (let start = 0; start < count; start += batch) {
    const users: Database['users'][] = [];
    const credentials: Database['credentials'][] = [];
    for (let i = start; i < Math.min(count, start + batch); i++) {
      const { privateKey, publicKey } = generateDetachedKeyPair('P-256');
      const userHandle = randomBytes(16).toString('base64url');
      const id = randomBytes(16).toString('base64url');
      users.push({ id: userHandle, name: `user${i}`, display_name: `User ${i}`, created_at: now });
      credentials.push({
        id,
        user_id: userHandle,
        public_key: Buffer.from(coseFromKey(publicKey, 'ES256')).toString('base64url'),
        algorithm: -7,
        // Synced passkeys keep the counter at 0, so concurrent sign-ins of one user cannot trip the regression check.
        counter: 0,
        transports: '["internal","hybrid"]',
        aaguid: '00000000-0000-0000-0000-000000000000',
        device_type: 'multiDevice',
        backup_eligible: 1,
        backed_up: 1,
        name: 'Bench passkey',
        created_at: now,
        last_used_at: null,
        flagged_at: null,
        flag_reason: null,
      });
      keys.push({
        id,
        userHandle,
        pkcs8: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      });
    }
    await db.insertInto('users').values(users).execute();
    await db.insertInto('credentials').values(credentials).execute();
  }
  writeFileSync(keyFile, JSON.stringify(keys));
}
