import { createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { PasskeyDeskError } from '../../../shared/errors';
import type { ErrorCode } from '../../../shared/errors';
import type { Passkey } from '../../../shared/model';
import type { ImportFormat, ImportedPasskey, ParsedImport } from '../../../shared/imports/types';
import type { ImportInput } from '../vault/vault-store';

/**
 * Moving a passkey from an export into the vault: check that the vault can sign with its key, then hand the
 * vault exactly what `VaultStore.importPasskey` takes. The vault seals the key like every vault key.
 */

const ALGORITHM_NAMES: Readonly<Record<number, string>> = {
  [-7]: 'ES256 (EC P-256)',
  [-8]: 'EdDSA (Ed25519)',
  [-257]: 'RS256 (RSA)',
};

function refuse(p: ImportedPasskey, code: ErrorCode, reason: string): PasskeyDeskError {
  return new PasskeyDeskError(
    code,
    `Cannot move the passkey for ${p.rpId}${p.userName ? ` (${p.userName})` : ''} into the vault: ${reason}`,
    {
      credentialId: p.credentialId,
      rpId: p.rpId,
    },
  );
}

/** The key must really be P-256: the file's label is not trusted, node:crypto parses the key itself. */
function checkP256(p: ImportedPasskey, bytes: Uint8Array): void {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: Buffer.from(bytes), format: 'der', type: 'pkcs8' });
  } catch (e) {
    throw refuse(
      p,
      'IMPORT_INVALID',
      `its private key cannot be read (${e instanceof Error ? e.message : String(e)}). Export it again.`,
    );
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    const what =
      key.asymmetricKeyType === 'ec'
        ? `EC ${key.asymmetricKeyDetails?.namedCurve ?? 'unknown curve'}`
        : (key.asymmetricKeyType ?? 'unknown');
    throw refuse(
      p,
      'UNSUPPORTED_ALGORITHM',
      `its key is ${what}, and the vault signs with ES256 (EC P-256) only.`,
    );
  }
}

/** Converts one imported passkey to the vault's input, or throws a PasskeyDeskError saying why it cannot move. */
export function toVaultImport(
  p: ImportedPasskey,
  source: { format: ImportFormat; fileName: string },
): ImportInput {
  if (!p.privateKey) {
    throw refuse(p, 'UNSUPPORTED_ALGORITHM', p.keyProblem ?? 'the file does not include its private key.');
  }
  if (p.privateKey.algorithm !== -7) {
    const name = ALGORITHM_NAMES[p.privateKey.algorithm] ?? `COSE algorithm ${p.privateKey.algorithm}`;
    throw refuse(
      p,
      'UNSUPPORTED_ALGORITHM',
      `it uses ${name}, and the vault signs with ES256 only. Keep using it where it is, or create a new passkey for ${p.rpId} in the vault and remove this one.`,
    );
  }
  checkP256(p, p.privateKey.bytes);
  if (p.userHandle === null) {
    // Without user.id the vault could not answer a discoverable sign-in, and the server could not match the user.
    throw refuse(
      p,
      'UNSUPPORTED',
      'the file does not include its user handle (user ID), which a sign-in needs.',
    );
  }
  return {
    rpId: p.rpId,
    credentialId: p.credentialId,
    userHandle: p.userHandle,
    userName: p.userName ?? '',
    userDisplayName: p.userDisplayName ?? p.userName ?? '',
    privateKeyPkcs8: p.privateKey.bytes,
    // Continue from the exporter's counter: a server that checks counters would reject a step back.
    signCount: p.signCount,
    createdAt: p.createdAt,
    origin: `import:${source.format}:${source.fileName}`,
  };
}

export interface VaultMovePlan {
  ready: { passkey: ImportedPasskey; input: ImportInput }[];
  refused: { passkey: ImportedPasskey; code: ErrorCode; message: string }[];
}

/**
 * Checks a selection before anything is written, so the person sees every refusal up front. An unknown
 * credential ID in the selection is a caller error and throws.
 */
export function planVaultMove(
  parsed: ParsedImport,
  credentialIds: readonly string[],
  fileName: string,
): VaultMovePlan {
  const byId = new Map(parsed.passkeys.map((p) => [p.credentialId, p]));
  const plan: VaultMovePlan = { ready: [], refused: [] };
  for (const id of new Set(credentialIds)) {
    const passkey = byId.get(id);
    if (!passkey)
      throw new PasskeyDeskError('NOT_FOUND', `"${fileName}" holds no passkey with credential ID ${id}.`);
    try {
      plan.ready.push({ passkey, input: toVaultImport(passkey, { format: parsed.format, fileName }) });
    } catch (e) {
      if (!(e instanceof PasskeyDeskError)) throw e;
      plan.refused.push({ passkey, code: e.code, message: e.message });
    }
  }
  return plan;
}

export interface VaultImporter {
  importPasskey(input: ImportInput): Promise<Passkey>;
}

export type VaultMoveOutcome =
  | { credentialId: string; ok: true; passkey: Passkey }
  | { credentialId: string; ok: false; code: ErrorCode; message: string };

/** Imports the ready part of a plan one by one; one failure (e.g. CONFLICT, already in the vault) stops none of the rest. */
export async function moveIntoVault(vault: VaultImporter, plan: VaultMovePlan): Promise<VaultMoveOutcome[]> {
  const outcomes: VaultMoveOutcome[] = plan.refused.map((r) => ({
    credentialId: r.passkey.credentialId,
    ok: false,
    code: r.code,
    message: r.message,
  }));
  for (const { passkey, input } of plan.ready) {
    try {
      outcomes.push({
        credentialId: passkey.credentialId,
        ok: true,
        passkey: await vault.importPasskey(input),
      });
    } catch (e) {
      if (!(e instanceof PasskeyDeskError)) throw e;
      outcomes.push({ credentialId: passkey.credentialId, ok: false, code: e.code, message: e.message });
    }
  }
  return outcomes;
}
