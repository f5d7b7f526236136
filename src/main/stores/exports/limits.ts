import { credentialIdSchema, rpIdSchema } from '../../../shared/contract/channel';
import { coreChannels } from '../../../shared/contract/vault';
import { Problems, member } from '../../../shared/imports/problems';
import type { ImportFormat, ParsedImport } from '../../../shared/imports/types';

/**
 * Length limits for the text an import brings in, the same as the vault's own: what `vault create` and
 * `vault rename` accept (their request schemas in src/shared/contract), so a passkey from a file can hold no
 * more than one made here. Without them a 5 MB user name in an export would land in imported-files.json and,
 * moved, in vault.json. The parsers already hold credential IDs to 1023 bytes and user handles to 64 (WebAuthn);
 * nicknames and item names (Bitwarden `name`, CXF `title`) are not imported at all (a moved passkey has none).
 */
const create = coreChannels['vault.create'].request.shape;
export const IMPORT_LIMITS = {
  userName: create.userName.maxLength ?? 256,
  userDisplayName: create.userDisplayName.unwrap().maxLength ?? 256,
  rpId: rpIdSchema.maxLength ?? 253,
  credentialId: credentialIdSchema.maxLength ?? 1400,
  /** The exporter's name (CXF header) is shown like a display name. */
  exporter: create.userDisplayName.unwrap().maxLength ?? 256,
} as const;

/** The member each field of a passkey is read from, per format (`null`: the format has no such field). */
const MEMBERS: Readonly<
  Record<
    ImportFormat,
    { userName: string; userDisplayName: string | null; rpId: string; credentialId: string }
  >
> = {
  bitwarden: {
    userName: 'userName',
    userDisplayName: 'userDisplayName',
    rpId: 'rpId',
    credentialId: 'credentialId',
  },
  keepassxc: {
    userName: 'username',
    userDisplayName: null,
    rpId: 'relyingParty',
    credentialId: 'credentialId',
  },
  cxf: {
    userName: 'username',
    userDisplayName: 'userDisplayName',
    rpId: 'rpId',
    credentialId: 'credentialId',
  },
};

const WHAT: Readonly<Record<keyof typeof IMPORT_LIMITS, string>> = {
  userName: 'user names',
  userDisplayName: 'display names',
  rpId: 'RP IDs (domain names)',
  credentialId: 'credential IDs',
  exporter: "an exporter's name",
};

const WHAT_TO_DO =
  'No real sign-in has a value that long, so the file is damaged or was edited: export it again from the password manager (or shorten the field there first) and import the new file.';

function tooLong(p: Problems, at: string, field: keyof typeof IMPORT_LIMITS, value: string | null): void {
  if (value === null || value.length <= IMPORT_LIMITS[field]) return;
  p.add(
    at,
    `is ${value.length.toLocaleString('en-US')} characters long, and Passkey Desk keeps ${WHAT[field]} of at most ${IMPORT_LIMITS[field]} characters, as its vault does`,
  );
}

/**
 * Refuses the whole file (IMPORT_INVALID, all or nothing, with the JSON path of each field that is too long)
 * when any text it brings in is longer than the vault allows. `exporterMember` names the CXF header member the
 * exporter's name was read from; it is asked only when that name is too long.
 */
export function checkImportLimits(
  parsed: ParsedImport,
  fileName: string,
  exporterMember: () => string,
): void {
  const p = new Problems(fileName, parsed.format);
  p.run(() => {
    const members = MEMBERS[parsed.format];
    for (const k of parsed.passkeys) {
      tooLong(p, member(k.sourcePath, members.credentialId), 'credentialId', k.credentialId);
      tooLong(p, member(k.sourcePath, members.rpId), 'rpId', k.rpId);
      tooLong(p, member(k.sourcePath, members.userName), 'userName', k.userName);
      if (members.userDisplayName !== null)
        tooLong(p, member(k.sourcePath, members.userDisplayName), 'userDisplayName', k.userDisplayName);
    }
    if (parsed.exporter !== null && parsed.exporter.length > IMPORT_LIMITS.exporter)
      tooLong(p, exporterMember(), 'exporter', parsed.exporter);
    return true;
  }, WHAT_TO_DO);
}
