import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Passkey } from '../../src/shared/model';
import type { Services } from '../../src/main/services';

export interface SeedAccount {
  rpId: string;
  userName: string;
  userDisplayName?: string;
}

/** Creates vault passkeys through the real vault.create handler (user verification, keyring, atomic writes). */
export async function seedVault(services: Services, accounts: SeedAccount[]): Promise<Passkey[]> {
  const created: Passkey[] = [];
  for (const a of accounts)
    created.push(
      await services.handlers['vault.create'](
        a.userDisplayName === undefined
          ? { rpId: a.rpId, userName: a.userName }
          : { ...a, userDisplayName: a.userDisplayName },
      ),
    );
  return created;
}

/** Three sites, five passkeys: alice twice on example.com (a duplicate), bob there too, one each elsewhere. */
export const THREE_SITES: SeedAccount[] = [
  { rpId: 'example.com', userName: 'alice', userDisplayName: 'Alice Liddell' },
  { rpId: 'example.com', userName: 'alice', userDisplayName: 'Alice Liddell' },
  { rpId: 'example.com', userName: 'bob', userDisplayName: 'Bob Builder' },
  { rpId: 'github.com', userName: 'alice-gh' },
  { rpId: 'shop.example.org', userName: 'carol@example.org', userDisplayName: 'Carol' },
];

interface VaultJson {
  passkeys: Array<Record<string, unknown> & { credentialId: string; rpId: string; userName: string }>;
}

/**
 * A vault of `total` passkeys in the real file format, fast: one passkey is created through the service (so the
 * vault key is in the keyring and the file is real), then its record is copied with new IDs, sites and users.
 * The copies list, rename and delete like any vault passkey; they cannot sign (their sealed key names the
 * original), which these UI tests never ask of them.
 */
export async function seedLargeVault(
  services: Services,
  dataDir: string,
  total: number,
  sites = 500,
): Promise<void> {
  await seedVault(services, [{ rpId: 'site-0000.example', userName: 'user-00000' }]);
  const path = join(dataDir, 'vault.json');
  const vault = JSON.parse(await readFile(path, 'utf8')) as VaultJson;
  const template = vault.passkeys[0]!;
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  for (let i = 1; i < total; i++) {
    vault.passkeys.push({
      ...template,
      credentialId: randomBytes(32).toString('base64url'),
      rpId: `site-${pad(i % sites, 4)}.example`,
      userName: `user-${pad(i, 5)}`,
      userDisplayName: `User ${i}`,
      createdAt: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString(),
    });
  }
  await writeFile(path, JSON.stringify(vault));
}
