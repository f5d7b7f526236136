import type { Command } from 'commander';
import { parseRequest } from '../../shared/contract/validate';
import { PasskeyDeskError } from '../../shared/errors';
import type { CliApp } from '../app';
import { info, printJson, table, printText } from '../output';

/** `passkey-desk stores`: every store, whether it can be read here and why not, with the steps to manage it. */
export function registerStores(program: Command, app: CliApp): void {
  const stores = program
    .command('stores')
    .description(
      'the passkey stores on this machine, what each can do, and how to manage the ones Passkey Desk cannot read',
    );
  stores
    .command('list', { isDefault: true })
    .description('list the stores (the default)')
    .option('--json', 'print JSON')
    .option('--steps', 'print the manual steps for each store that cannot be read')
    .action(async (o: { json?: boolean; steps?: boolean }) => {
      const { stores: all } = await app.services().handlers['inventory.get']({});
      if (o.json) return printJson(all);
      printText(
        `${table(
          all.map((s) => ({
            id: s.id,
            label: s.label,
            status: s.status,
            count: s.count === null ? '—' : String(s.count),
            can: capabilities(s.capabilities),
            why: s.reason ?? '',
          })),
          [
            { key: 'id', title: 'STORE' },
            { key: 'label', title: 'NAME', max: 40 },
            { key: 'status', title: 'STATUS' },
            { key: 'count', title: 'PASSKEYS' },
            { key: 'can', title: 'CAN' },
            { key: 'why', title: 'WHY NOT', max: 70 },
          ],
        )}\n`,
      );
      if (o.steps) {
        for (const s of all.filter((x) => x.manage)) {
          printText(
            `\n${s.label}\n${s.manage!.steps.map((l) => `  ${l}`).join('\n')}\n${s.manage!.link ? `  Link: ${s.manage!.link}\n` : ''}`,
          );
        }
      } else info('Add --steps for how to manage each store by hand.');
    });

  stores
    .command('mark-deleted <store> <rpId>')
    .description(
      'record that you deleted a passkey in a store Passkey Desk cannot read (e.g. guided:apple), so reconciliation offers to revoke it on the server',
    )
    .option(
      '--credential-id <id>',
      'the passkey, when known (otherwise every unlocated passkey of the site counts)',
    )
    .option('--user-handle <handle>', 'limit to one account of the site (base64url user handle)')
    .action(async (store: string, rpId: string, o: { credentialId?: string; userHandle?: string }) => {
      const mark = await app.services().handlers['guided.mark'](
        parseRequest('guided.mark', {
          store,
          rpId,
          ...(o.credentialId ? { credentialId: o.credentialId } : {}),
          ...(o.userHandle ? { userHandle: o.userHandle } : {}),
        }),
      );
      info(
        `Recorded: deleted in ${mark.store} for ${mark.rpId}${mark.credentialId ? ` (${mark.credentialId})` : ''}. Undo: passkey-desk stores unmark ${mark.id}`,
      );
    });

  stores
    .command('marks')
    .description('list the "deleted there" marks, with the id `unmark` takes')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const marks = await app.services().handlers['guided.marks']({});
      if (o.json) return printJson(marks);
      if (marks.length === 0) return info('No "deleted there" marks.');
      printText(
        `${table(
          marks.map((m) => ({
            id: m.id,
            store: m.store,
            rp: m.rpId,
            which:
              m.credentialId ?? (m.userHandle ? `every passkey of user ${m.userHandle}` : 'every passkey'),
            at: m.markedAt.slice(0, 10),
          })),
          [
            { key: 'id', title: 'MARK' },
            { key: 'store', title: 'STORE' },
            { key: 'rp', title: 'SITE', max: 32 },
            { key: 'which', title: 'PASSKEY', max: 48 },
            { key: 'at', title: 'MARKED' },
          ],
        )}\n`,
      );
    });

  stores
    .command('unmark <markId>')
    .description('take back a "deleted there" mark')
    .action(async (id: string) => {
      const mark = await app.services().handlers['guided.unmark'](parseRequest('guided.unmark', { id }));
      info(`Removed the mark for ${mark.rpId} in ${mark.store}.`);
    });

  stores
    .command('forget <storeId>')
    .description('remove an imported export from the inventory (the file itself is left alone)')
    .action(async (storeId: string) => {
      await app.services().handlers['imports.remove'](parseRequest('imports.remove', { storeId }));
      info(`Removed ${storeId} from the inventory.`);
    });

  stores
    .command('delete <storeId> <credentialId>')
    .description(
      'delete a passkey from a store that allows it (Windows Hello: removable ones only); journaled first, cannot be undone outside the vault',
    )
    .option('--yes', 'confirm the deletion')
    .action(async (storeId: string, credentialId: string, o: { yes?: boolean }) => {
      // A security key needs its PIN, which only the keys commands ask for: send the user there at once.
      if (storeId.startsWith('security-key:'))
        throw new PasskeyDeskError(
          'UNSUPPORTED',
          `Passkeys on a security key are deleted with its PIN: run \`passkey-desk keys delete ${credentialId} --key ${storeId} --yes\` (it asks for the PIN, or add --pin-stdin).`,
        );
      if (!o.yes) {
        info(
          `This deletes the passkey ${credentialId} from ${storeId}${storeId === 'vault' ? ' (to the trash)' : ' for good'}. Run again with --yes to confirm.`,
        );
        process.exitCode = 4;
        return;
      }
      const { passkey } = await app
        .services()
        .handlers['stores.deletePasskey'](
          parseRequest('stores.deletePasskey', { store: storeId, credentialId }),
        );
      info(`Deleted the passkey for ${passkey.userName ?? 'an account'} on ${passkey.rpId} from ${storeId}.`);
    });
}

function capabilities(c: {
  list: boolean;
  delete: boolean;
  rename: boolean;
  create: boolean;
  sign: boolean;
  restore: boolean;
}): string {
  return (
    (['list', 'delete', 'rename', 'create', 'sign', 'restore'] as const).filter((k) => c[k]).join(',') || '—'
  );
}
