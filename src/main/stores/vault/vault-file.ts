import { join } from 'node:path';
import { z } from 'zod';
import { PasskeyDeskError } from '../../../shared/errors';
import { writeFileAtomic } from '../../fs/atomic';
import { readDataFile } from '../../fs/errors';

export const VAULT_FORMAT_VERSION = 1;

const sealed = z.object({ iv: z.string(), ct: z.string(), tag: z.string() });

const record = z.object({
  credentialId: z.string().min(1),
  rpId: z.string().min(1),
  userHandle: z.string(),
  userName: z.string(),
  userDisplayName: z.string(),
  nickname: z.string().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  signCount: z.number().int().nonnegative(),
  algorithm: z.literal(-7),
  /** COSE public key, base64url. */
  publicKey: z.string(),
  /** PKCS#8 private key sealed with AES-256-GCM under the keyring-held vault key. */
  privateKey: sealed,
  trashedAt: z.string().nullable(),
  /** Where the passkey came from (created here, or moved in from an export). */
  origin: z.string(),
});

/** A passkey purged from the trash: its ID only (the key is gone), so reconciliation knows this vault held it. */
const purged = z.object({
  credentialId: z.string().min(1),
  rpId: z.string().min(1),
  purgedAt: z.string(),
});

const vaultFile = z.object({
  format: z.literal('passkey-desk-vault'),
  version: z.number().int(),
  /** Which keyring entry holds the key; lets a second vault (tests, profiles) use its own. */
  keyId: z.string().min(1),
  passkeys: z.array(record),
  /** Absent in vaults written before it existed (read as none). */
  purged: z.array(purged).default([]),
});

export type VaultRecord = z.infer<typeof record>;
export type VaultFile = z.infer<typeof vaultFile>;
export type PurgedRecord = z.infer<typeof purged>;

export function vaultPath(dataDir: string): string {
  return join(dataDir, 'vault.json');
}

/** Loads the vault, or null when there is none yet. Never modifies a file it cannot read. */
export async function loadVault(path: string): Promise<VaultFile | null> {
  const text = await readDataFile(path);
  if (text === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw corrupt(path, `it is not valid JSON (${(e as Error).message})`);
  }
  const version = (json as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > VAULT_FORMAT_VERSION) {
    throw new PasskeyDeskError(
      'DATA_TOO_NEW',
      `The vault file ${path} was written by a newer Passkey Desk (format ${version}; this one reads up to ${VAULT_FORMAT_VERSION}). ` +
        'It was left untouched: update Passkey Desk to use it.',
      { path, version },
    );
  }
  const parsed = vaultFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw corrupt(path, `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

export async function saveVault(path: string, vault: VaultFile): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(vault));
}

function corrupt(path: string, why: string): PasskeyDeskError {
  return new PasskeyDeskError(
    'DATA_CORRUPT',
    `The vault file ${path} is damaged: ${why}. It was left untouched; restore it from a backup, or move it away to start a new vault.`,
    { path },
  );
}
