import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { PasskeyDeskError } from '../../shared/errors';
import { parseRequest } from '../../shared/contract/validate';
import type { CliApp } from '../app';
import { info, printJson, printText } from '../output';
import { formatPasskeys } from './inventory';

/** `passkey-desk import FILE`: a Bitwarden, KeePassXC or CXF export becomes a read-only store in the inventory. */
export function registerImport(program: Command, app: CliApp): void {
  program
    .command('import <file>')
    .description(
      'add a Bitwarden JSON, KeePassXC .passkey or FIDO CXF export to the inventory (read-only; keys are not kept)',
    )
    .option(
      '--into-vault',
      'also move every passkey whose private key the vault can use (ES256) into the vault',
    )
    .option(
      '--only <credentialId...>',
      'with --into-vault: move only these passkeys (IDs as Passkey Desk lists them or as the file spells them, e.g. a Bitwarden UUID)',
    )
    .option('--json', 'print the result as JSON')
    .action(async (file: string, o: { intoVault?: boolean; only?: string[]; json?: boolean }) => {
      // A move reads the file a second time (to take the keys it never keeps): a pipe (`import <(…)`) has
      // nothing left by then, so refuse before reading anything.
      if (o.intoVault && !isRegularFile(file))
        throw new PasskeyDeskError(
          'INVALID_INPUT',
          `--into-vault needs a file Passkey Desk can read twice, and ${file} is a pipe or device. Save the export to a file, import that, then delete it.`,
        );
      const h = app.services().handlers;
      // First read without moving, so a move can name exactly what is movable.
      const first = await h['imports.add'](parseRequest('imports.add', { path: file }));
      let moved = first.moved;
      const s = first.summary;
      const imported = `${s.alreadyImported ? 'Refreshed' : 'Imported'} ${s.label}: ${s.count} passkey(s) as store ${s.storeId}`;
      if (o.intoVault) {
        // Without --only every passkey in the file is selected, so the ones the vault cannot hold (EdDSA, RSA, no
        // user handle) come back refused with their reason, exactly as they do when named with --only.
        // --only takes an ID as the file spells it too: the core reads UUIDs and base64 alike, and Bitwarden's
        // "b64." prefix (which the request's base64url check would refuse) is dropped here.
        const ids = o.only?.map((id) => id.replace(/^b64\./, '')) ?? s.passkeys.map((p) => p.credentialId);
        if (ids.length > 0) {
          try {
            moved = await h['imports.moveToVault'](
              parseRequest('imports.moveToVault', { storeId: s.storeId, credentialIds: ids }),
            );
          } catch (e) {
            // The import itself stands (the file is in the inventory); say so before the reason nothing moved.
            if (!o.json) info(`${imported}; none moved into the vault.`);
            throw e;
          }
        }
      } else if (o.only) {
        throw new PasskeyDeskError('INVALID_INPUT', '--only goes with --into-vault.');
      }
      // A refused or failed move exits 1 ("refused or failed"), with --json too; what did move stays in the vault.
      if (moved.some((m) => !m.ok)) process.exitCode = 1;
      if (o.json) return printJson({ ...s, moved });
      info(`${imported}.`);
      if (s.count > 0) printText(`${formatPasskeys(s.passkeys)}\n`);
      for (const m of moved)
        info(m.ok ? `Moved ${m.credentialId} into the vault.` : `Not moved ${m.credentialId}: ${m.message}`);
      if (!o.intoVault && s.movable.length > 0)
        info(`${s.movable.length} of them can move into the vault: passkey-desk import ${file} --into-vault`);
      info('The export file holds private keys in plain text: delete it once you no longer need it.');
    });
}

/** A regular file (not a pipe, a device or a folder); a path that does not exist is left to the import to report. */
function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return true;
  }
}
