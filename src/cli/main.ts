import { Command, CommanderError } from 'commander';
import { createCliApp } from './app';
import { registerAccounts } from './commands/accounts';
import { registerReconcile } from './commands/reconcile';
import { registerDoctor } from './commands/doctor';
import { registerImport } from './commands/imports';
import { registerInventory } from './commands/inventory';
import { registerKeys } from './commands/keys';
import { registerJournal } from './commands/journal';
import { registerStores } from './commands/stores';
import { registerVault } from './commands/vault';
import { shieldDashIds } from './dashIds';
import { reportError } from './errors';

/**
 * The passkey-desk command-line tool: the second shell over the same core as the app. Each command file
 * registers itself; errors become one line on stderr and an exit code, never a stack trace.
 */
export async function run(argv: string[]): Promise<number> {
  const app = createCliApp();
  const program = new Command('passkey-desk')
    .description('Passkey Desk: see, reconcile and clean up the passkeys on this machine')
    .version(process.env.npm_package_version ?? '0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  // Credential IDs that start with '-' are not options (dashIds.ts): hidden from the parser, given back to the
  // command, and to the parser's own error messages (set before the commands, which inherit it).
  const { args, restore, restoreText } = shieldDashIds(argv);
  program.configureOutput({ outputError: (text, write) => write(restoreText(text)) });
  registerInventory(program, app);
  registerVault(program, app);
  registerStores(program, app);
  registerImport(program, app);
  registerKeys(program, app);
  registerJournal(program, app);
  registerAccounts(program, app);
  registerReconcile(program, app);
  registerDoctor(program, app);
  program.hook('preAction', (_program, command) => {
    command.processedArgs = command.processedArgs.map(restore);
    for (const [key, value] of Object.entries(command.opts())) command.setOptionValue(key, restore(value));
  });
  try {
    await program.parseAsync(args, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    return reportError(e);
  }
}

const code = await run(process.argv.slice(2));
// A command may set a non-zero exit code without throwing (e.g. a refused confirmation); keep it.
process.exitCode = code !== 0 ? code : (process.exitCode ?? 0);
