import type { Command } from 'commander';
import { rpIdSchema } from '../../shared/contract/channel';
import { PasskeyDeskError } from '../../shared/errors';
import type { Passkey, StoreInfo } from '../../shared/model';
import { rpKey } from '../../shared/reconcile/credentialKey';
import type { CliApp } from '../app';
import { date, info, printJson, table, printText } from '../output';

/** `passkey-desk inventory`: every passkey this machine's stores hold, and the stores that could not be read. */
export function registerInventory(program: Command, app: CliApp): void {
  program
    .command('inventory')
    .description('list the passkeys on this machine, across every store Passkey Desk can read')
    .option('--json', 'print a JSON array of passkeys (store, credentialId, rpId, userHandle, userName, …)')
    .option('--rp-id <rpId>', 'only passkeys for this site')
    .action(async (opts: { json?: boolean; rpId?: string }) => {
      // Sites compare as domain names do (case, a trailing dot), as reconcile compares them.
      const site = opts.rpId === undefined ? null : rpKey(opts.rpId);
      if (site !== null && !rpIdSchema.safeParse(site).success)
        throw new PasskeyDeskError(
          'INVALID_INPUT',
          `--rp-id "${opts.rpId}" is not a site's domain name; expected e.g. example.com.`,
        );
      const inventory = await app.services().handlers['inventory.get']({});
      const passkeys =
        site === null ? inventory.passkeys : inventory.passkeys.filter((p) => rpKey(p.rpId) === site);
      // A store that failed (a damaged file, a lost key) is not the same as one that does not exist here: its
      // passkeys are missing from the list, so say so on stderr, in JSON mode too, and exit 5.
      const failed = inventory.stores.filter((s) => s.status === 'error');
      if (failed.length > 0) process.exitCode = 5;
      if (opts.json) {
        printJson(passkeys);
        for (const s of failed)
          info(
            `• ${s.label} could not be read, so its passkeys are not listed: ${s.reason ?? 'no reason given'}`,
          );
        return;
      }
      if (passkeys.length === 0)
        info(
          site === null
            ? 'No passkeys found in the stores Passkey Desk can read.'
            : `No passkeys for ${site} in the stores Passkey Desk can read.`,
        );
      else printText(`${formatPasskeys(passkeys)}\n`);
      for (const s of inventory.stores.filter((s) => s.status !== 'available')) {
        const why = [s.reason, hintFor(s)].filter(Boolean).join(' ');
        info(`• ${s.label}: ${s.status}${why ? ` — ${why}` : ''}`);
      }
    });
}

/** What to do about a store the inventory could not read, where the store's own reason does not say. */
function hintFor(s: StoreInfo): string | null {
  // The inventory never asks for a PIN; the keys command does, and lists what the key holds.
  if (s.status === 'needs-pin' && s.kind === 'security-key')
    return `To list its passkeys, run \`passkey-desk keys credentials --key ${s.id}\` and enter the PIN.`;
  return null;
}

export function formatPasskeys(passkeys: Passkey[]): string {
  const sorted = [...passkeys].sort(
    (a, b) => a.rpId.localeCompare(b.rpId) || (a.userName ?? '').localeCompare(b.userName ?? ''),
  );
  return table(
    sorted.map((p) => ({
      rp: p.rpId,
      user: p.userName ?? '—',
      store: p.store,
      provider: p.providerName ?? '—',
      id: p.credentialId,
      created: date(p.createdAt),
      used: date(p.lastUsedAt),
      nick: p.nickname ?? '',
    })),
    [
      { key: 'rp', title: 'SITE', max: 32 },
      { key: 'user', title: 'USER', max: 28 },
      { key: 'store', title: 'STORE', max: 24 },
      { key: 'provider', title: 'PROVIDER', max: 22 },
      { key: 'id', title: 'CREDENTIAL ID' },
      { key: 'created', title: 'CREATED' },
      { key: 'used', title: 'LAST USED' },
      { key: 'nick', title: 'NICKNAME', max: 24 },
    ],
  );
}
