import { createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { PasskeyDeskError } from '../../../shared/errors';
import type { ErrorCode } from '../../../shared/errors';
import { fromBase64url, isUuid, toBase64url, uuidToBytes } from '../../../shared/base64url';
import { clip } from '../../../shared/imports/fields';
import type { Passkey } from '../../../shared/model';
import type { ImportFormat, ImportedPasskey, ParsedImport } from '../../../shared/imports/types';
import type { ImportInput } from '../vault/vault-store';

/**
 * Moving a passkey from an export into the vault: check that the vault can sign with its key, then hand the
 * vault exactly what `VaultStore.importPasskeys` takes. The vault seals the key like every vault key.
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
  /** The export the passkeys come from, as the user knows it (named when the vault asks to verify the user). */
  fileName: string;
  ready: { passkey: ImportedPasskey; input: ImportInput }[];
  refused: { passkey: ImportedPasskey; code: ErrorCode; message: string }[];
}

/**
 * The canonical (base64url) credential IDs that `text` may name, read the ways export files spell them:
 * base64url or standard base64 (KeePassXC, CXF, and what Passkey Desk prints), a UUID in any case (Bitwarden's
 * own passkeys) or "b64." + base64url (passkeys Bitwarden imported from elsewhere). The parsers turn the file's
 * IDs into the same canonical form, so both sides compare alike. A UUID is also valid base64url text, so it
 * yields both readings; the file decides which one it holds.
 */
export function credentialIdReadings(text: string): string[] {
  const t = text.trim();
  const readings = new Set<string>();
  if (isUuid(t)) readings.add(toBase64url(uuidToBytes(t)));
  try {
    const bytes = fromBase64url(t.startsWith('b64.') ? t.slice(4) : t);
    if (bytes.length > 0) readings.add(toBase64url(bytes));
  } catch {
    // Not base64: only the UUID reading (if any) applies.
  }
  return [...readings];
}

/**
 * Checks a selection before anything is written, so the person sees every refusal up front. Credential IDs may
 * be spelled as the file spells them or as Passkey Desk prints them (`credentialIdReadings`); the same passkey
 * named twice is moved once. An ID the file does not hold is a caller error and throws.
 */
export function planVaultMove(
  parsed: ParsedImport,
  credentialIds: readonly string[],
  fileName: string,
): VaultMovePlan {
  const byId = new Map(parsed.passkeys.map((p) => [p.credentialId, p]));
  const plan: VaultMovePlan = { fileName, ready: [], refused: [] };
  const planned = new Set<string>();
  for (const given of credentialIds) {
    const found = [
      ...new Set(
        credentialIdReadings(given)
          .map((id) => byId.get(id))
          .filter((p) => p !== undefined),
      ),
    ];
    if (found.length === 0)
      throw new PasskeyDeskError(
        'NOT_FOUND',
        `"${fileName}" holds no passkey with credential ID ${clip(given, 80)}. ` +
          'Give the ID as the file shows it (Bitwarden: a UUID or "b64." and base64url) or as `passkey-desk import FILE` lists it.',
        { file: fileName, credentialId: clip(given, 80) },
      );
    if (found.length > 1)
      throw new PasskeyDeskError(
        'INVALID_INPUT',
        `In "${fileName}", ${clip(given, 80)} names two passkeys (read as a UUID it is ${found[0]!.credentialId}, read as base64url ${found[1]!.credentialId}). ` +
          'Give the base64url credential ID `passkey-desk import FILE` lists instead.',
        { file: fileName, credentialIds: found.map((p) => p.credentialId) },
      );
    const passkey = found[0]!;
    if (planned.has(passkey.credentialId)) continue;
    planned.add(passkey.credentialId);
    try {
      plan.ready.push({ passkey, input: toVaultImport(passkey, { format: parsed.format, fileName }) });
    } catch (e) {
      if (!(e instanceof PasskeyDeskError)) throw e;
      plan.refused.push({ passkey, code: e.code, message: e.message });
    }
  }
  return plan;
}

/** What a move needs of the vault: `VaultStore.importPasskeys`, one outcome per input, in input order. */
export interface VaultImporter {
  importPasskeys(
    inputs: readonly ImportInput[],
    source: string,
  ): Promise<({ ok: true; passkey: Passkey } | { ok: false; error: PasskeyDeskError })[]>;
}

export type VaultMoveOutcome =
  | { credentialId: string; ok: true; passkey: Passkey }
  | { credentialId: string; ok: false; code: ErrorCode; message: string };

const VERIFICATION_CODES: ReadonlySet<ErrorCode> = new Set([
  'USER_CANCELLED',
  'USER_VERIFICATION_FAILED',
  'USER_VERIFICATION_UNAVAILABLE',
]);

/**
 * Imports the ready part of a plan as one batch: the vault verifies the user once (naming how many passkeys and
 * from which file), then reads, seals and writes once. One passkey refused (e.g. CONFLICT, already in the vault)
 * stops none of the rest; the outcomes list the plan's refusals first, then each ready passkey. If the user
 * declines verification, the whole move is refused and nothing is written.
 */
export async function moveIntoVault(vault: VaultImporter, plan: VaultMovePlan): Promise<VaultMoveOutcome[]> {
  const outcomes: VaultMoveOutcome[] = plan.refused.map((r) => ({
    credentialId: r.passkey.credentialId,
    ok: false,
    code: r.code,
    message: r.message,
  }));
  if (plan.ready.length === 0) return outcomes;
  let results: Awaited<ReturnType<VaultImporter['importPasskeys']>>;
  try {
    results = await vault.importPasskeys(
      plan.ready.map((r) => r.input),
      `"${clip(plan.fileName, 120)}"`,
    );
  } catch (e) {
    if (e instanceof PasskeyDeskError && VERIFICATION_CODES.has(e.code)) {
      const n = plan.ready.length;
      throw new PasskeyDeskError(
        e.code,
        `Nothing was moved into the vault from "${plan.fileName}" (${n} passkey${n === 1 ? '' : 's'}): ${e.message}`,
        { ...e.details, file: plan.fileName },
      );
    }
    throw e;
  }
  if (results.length !== plan.ready.length)
    throw new Error(`the vault answered ${results.length} outcomes for ${plan.ready.length} passkeys`);
  plan.ready.forEach(({ passkey }, i) => {
    const r = results[i]!;
    outcomes.push(
      r.ok
        ? { credentialId: passkey.credentialId, ok: true, passkey: r.passkey }
        : { credentialId: passkey.credentialId, ok: false, code: r.error.code, message: r.error.message },
    );
  });
  return outcomes;
}
