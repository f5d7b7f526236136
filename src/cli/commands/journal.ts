import type { Command } from 'commander';
import { PasskeyDeskError } from '../../shared/errors';
import { shortId } from '../../shared/model';
import type { CliApp } from '../app';
import { info, printJson, table, printText } from '../output';

/** `passkey-desk journal`: every destructive step Passkey Desk took, newest first, with its outcome. */
export function registerJournal(program: Command, app: CliApp): void {
  program
    .command('journal')
    .description('show the journal of destructive steps (newest first)')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'how many entries (1 to 10000)', '50')
    .action(async (o: { json?: boolean; limit: string }) => {
      const limit = /^\d+$/.test(o.limit) ? Number(o.limit) : NaN;
      if (!(limit >= 1 && limit <= 10_000))
        throw new PasskeyDeskError(
          'INVALID_INPUT',
          `--limit "${o.limit}" is not a number of entries; give a whole number from 1 to 10000.`,
        );
      const entries = await app.services().handlers['journal.list']({ limit });
      if (o.json) return printJson(entries);
      if (entries.length === 0) return info('The journal is empty.');
      printText(
        `${table(
          entries.map((e) => ({
            at: e.startedAt.replace('T', ' ').slice(0, 19),
            action: e.action,
            outcome: e.undoneBy ? 'undone' : e.outcome,
            // Which passkey: the effect names the account, and an account may have several.
            passkey: e.credentialId === null ? '—' : shortId(e.credentialId),
            effect: e.effect,
          })),
          [
            { key: 'at', title: 'WHEN (UTC)' },
            { key: 'action', title: 'ACTION' },
            { key: 'outcome', title: 'OUTCOME' },
            { key: 'passkey', title: 'PASSKEY' },
            { key: 'effect', title: 'EFFECT', max: 90 },
          ],
        )}\n`,
      );
    });
}
