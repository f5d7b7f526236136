/**
 * Runs only the `keys` commands the way src/cli/main.ts runs every command (createCliApp + register + the
 * shared error reporter), so the CLI can be tested as a process, with the simulated key chosen by
 * PASSKEY_DESK_FAKE_SECURITY_KEY and the PIN on stdin, before main.ts registers `keys`.
 */
import { Command, CommanderError } from 'commander';
import { createCliApp } from '../../src/cli/app';
import { registerKeys } from '../../src/cli/commands/keys';
import { reportError } from '../../src/cli/errors';

const program = new Command('passkey-desk').exitOverride();
registerKeys(program, createCliApp());
try {
  await program.parseAsync(process.argv.slice(2), { from: 'user' });
} catch (e) {
  process.exitCode = e instanceof CommanderError ? (e.exitCode === 0 ? 0 : 2) : reportError(e);
}
