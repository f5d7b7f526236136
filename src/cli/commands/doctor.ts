import type { Command } from 'commander';
import { Option } from 'commander';
import { MESSAGES, MESSAGE_KEYS } from '../../shared/doctor';
import { parseRequest } from '../../shared/contract/validate';
import type { CliApp } from '../app';
import { info, printJson, printText } from '../output';

/**
 * `passkey-desk doctor`: "Can't sign in?" on the command line. Prints the support report (findings with evidence,
 * IDs shortened, no secrets) or, with --json, the whole run. Reads only: fixes are plans for `reconcile`.
 */
export function registerDoctor(program: Command, app: CliApp): void {
  const keys = MESSAGES.map((m) => `  ${m.key.padEnd(22)} "${m.wordings[0]}"`).join('\n');
  program
    .command('doctor')
    .description(
      "find out why signing in with a passkey fails here: checks this machine, the account's server and its passkeys",
    )
    .option('--account <id>', 'the connected account to check (see `passkey-desk accounts list`)')
    .addOption(
      new Option('--message <key>', 'the message you saw (ranks the findings for it)').choices([
        ...MESSAGE_KEYS,
      ]),
    )
    .option('--json', 'print the whole run as JSON (findings, evidence, fixes, report)')
    .addHelpText('after', `\nMessage keys:\n${keys}\n`)
    .action(async (o: { account?: string; message?: string; json?: boolean }) => {
      const h = app.services().handlers;
      let accountId = o.account;
      // A mistyped id is a usage error here, as in reconcile and prune (exit 3 with the way to list the ids),
      // rather than a report whose finding is that the account does not exist.
      if (accountId) await app.services().accounts.accounts.get(accountId);
      if (!accountId) {
        // With exactly one connected account there is nothing to pick: check it, and say so.
        const accounts = await h['accounts.list']({});
        if (accounts.length === 1) {
          accountId = accounts[0]!.id;
          info(
            `Checking ${accounts[0]!.userName} at ${accounts[0]!.rpId} (${accountId}), the only connected account.`,
          );
        }
      }
      const run = await h['doctor.run'](
        parseRequest('doctor.run', {
          ...(accountId ? { accountId } : {}),
          ...(o.message ? { message: o.message } : {}),
        }),
      );
      if (o.json) printJson(run);
      else {
        printText(run.report);
        // The report (for support) shortens long IDs; the commands its fixes name are printed whole, apart from it.
        const commands = run.findings.flatMap((f) => (f.fix?.kind === 'steps' ? (f.fix.commands ?? []) : []));
        if (commands.length > 0)
          info(
            `\nTo run on this computer (full IDs; the report above shortens them):\n${commands.map((c) => `  ${c}`).join('\n')}`,
          );
      }
    });
}
