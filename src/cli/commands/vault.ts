import type { Command } from 'commander';
import { PasskeyDeskError } from '../../shared/errors';
import { parseRequest } from '../../shared/contract/validate';
import type { CliApp } from '../app';
import { info, printJson, printText } from '../output';
import { formatPasskeys } from './inventory';

/** `passkey-desk vault …`: Passkey Desk's own store. Deletions go to the trash; purge destroys for good. */
export function registerVault(program: Command, app: CliApp): void {
  const vault = program.command('vault').description("manage passkeys in Passkey Desk's own vault");
  const h = () => app.services().handlers;

  vault
    .command('create')
    .description('create a passkey in the vault (it still has to be registered with the site)')
    .requiredOption('--rp-id <rpId>', 'the site, e.g. example.com')
    .requiredOption('--user <name>', 'the account name on the site')
    .option('--display-name <name>', 'the name shown for the account')
    .option('--json', 'print the new passkey as JSON')
    .action(async (o: { rpId: string; user: string; displayName?: string; json?: boolean }) => {
      const req = parseRequest('vault.create', {
        rpId: o.rpId,
        userName: o.user,
        ...(o.displayName ? { userDisplayName: o.displayName } : {}),
      });
      const passkey = await h()['vault.create'](req);
      if (o.json) printJson(passkey);
      else info(`Created a passkey for ${passkey.userName} on ${passkey.rpId}: ${passkey.credentialId}`);
    });

  vault
    .command('rename <credentialId> [nickname]')
    .description('set (or, without a nickname, clear) the local nickname of a vault passkey')
    .action(async (credentialId: string, nickname: string | undefined) => {
      const p = await h()['vault.rename'](
        parseRequest('vault.rename', { credentialId, nickname: nickname ?? null }),
      );
      info(
        p.nickname
          ? `Renamed ${p.credentialId} to "${p.nickname}".`
          : `Cleared the nickname of ${p.credentialId}.`,
      );
    });

  vault
    .command('delete <credentialId>')
    .description('move a vault passkey to the trash (restore brings it back)')
    .action(async (credentialId: string) => {
      const { passkey } = await h()['vault.delete'](parseRequest('vault.delete', { credentialId }));
      info(
        `Moved the passkey for ${passkey.userName} on ${passkey.rpId} to the trash. Undo: passkey-desk vault restore ${passkey.credentialId}`,
      );
    });

  vault
    .command('restore <credentialId>')
    .description('bring a passkey back from the trash')
    .action(async (credentialId: string) => {
      const p = await h()['vault.restore'](parseRequest('vault.restore', { credentialId }));
      info(`Restored the passkey for ${p.userName} on ${p.rpId}.`);
    });

  vault
    .command('purge <credentialId>')
    .description('destroy a trashed passkey for good (needs --yes)')
    .option('--yes', 'confirm: the private key is destroyed and cannot be recovered')
    .option(
      '--override <guard>',
      'still-accepted: purge even though a connected account still accepts it (or could not be asked)',
    )
    .action(async (credentialId: string, o: { yes?: boolean; override?: string }) => {
      if (!o.yes) {
        throw new PasskeyDeskError(
          'CONFIRMATION_REQUIRED',
          `Purging destroys the private key for good. Run again with --yes to confirm: passkey-desk vault purge ${credentialId} --yes${o.override === undefined ? '' : ` --override ${o.override}`}`,
        );
      }
      const { passkey } = await h()['vault.purge'](
        parseRequest('vault.purge', {
          credentialId,
          confirm: true,
          ...(o.override === undefined ? {} : { override: o.override }),
        }),
      );
      info(`Purged the passkey for ${passkey.userName} on ${passkey.rpId}.`);
    });

  vault
    .command('trash')
    .description('list the passkeys in the vault trash')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const trash = await h()['vault.trash']({});
      if (o.json) printJson(trash);
      else if (trash.length === 0) info('The vault trash is empty.');
      else printText(`${formatPasskeys(trash.map((t) => t.passkey))}\n`);
    });
}
