import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import { PasskeyDeskError } from '../../shared/errors';
import type { Passkey } from '../../shared/model';
import { Journal } from '../../main/journal';
import { createSecurityKeyProvider, FAKE_SECURITY_KEY_ENV } from '../../main/stores/security-key';
import type { SecurityKeyFacts, SecurityKeyProvider, SecurityKeyStore } from '../../main/stores/security-key';
import type { OperationContext } from '../../main/stores/store';
import { keyHandlers } from '../../main/features/keys';
import type { CliApp } from '../app';
import { info, printJson, table, printText, terminalSafe } from '../output';

export interface KeysDeps {
  /** The security-key provider; by default node-hid, or the simulated key named by PASSKEY_DESK_FAKE_SECURITY_KEY. */
  provider?: () => SecurityKeyProvider;
  /** Where PINs come from (tests inject one; the PIN is never logged or stored). */
  readPin?: (prompt: string, fromStdin: boolean) => Promise<string>;
  journal?: () => Journal;
}

interface KeyOpts {
  key?: string;
  pinStdin?: boolean;
  json?: boolean;
}

/**
 * `passkey-desk keys …`: FIDO2 security keys over USB. The PIN is asked on the terminal without echo, or read
 * as one line from stdin with --pin-stdin (for scripts); it lives only for the command and is never logged.
 */
export function registerKeys(program: Command, app: CliApp, deps: KeysDeps = {}): void {
  let provider: SecurityKeyProvider | null = null;
  const keys = () => (provider ??= deps.provider?.() ?? createSecurityKeyProvider());
  const readPin = deps.readPin ?? readPinFromTerminal;
  const journal = () => deps.journal?.() ?? new Journal(app.dataDir());
  // Deletes and renames go through the same handlers as the app's IPC channels (journaled first).
  const handlers = () => keyHandlers({ provider: keys(), journal: journal(), onProgress: (m) => info(m) });
  const withPin = async (store: SecurityKeyStore, o: KeyOpts): Promise<OperationContext> => ({
    pin: await readPin(`PIN for ${store.label}: `, o.pinStdin === true),
    onProgress: (m) => info(m),
  });
  const cmd = program
    .command('keys')
    .description(
      'FIDO2 security keys (YubiKey, Feitian, Token2, SoloKey…): list, delete and correct passkeys',
    );

  cmd
    .command('list')
    .description(
      'list the plugged-in security keys: product, AAGUID, CTAP versions, PIN state, free slots (no PIN needed)',
    )
    .option('--json', 'print JSON')
    .action(async (o: KeyOpts) => {
      const all = await keys().listKeys();
      if (o.json) return printJson(all);
      if (all.length === 0) {
        const simulated = deps.provider ? undefined : process.env[FAKE_SECURITY_KEY_ENV];
        // A simulated key that is not running reads as unplugged; say where Passkey Desk looked.
        return info(
          simulated
            ? `No FIDO security key is plugged in: no simulated key answers at ${simulated} (${FAKE_SECURITY_KEY_ENV}). Start it with \`npx tsx test/helpers/soft-ctap/serve.ts key.json\` and use the address it prints.`
            : 'No FIDO security key is plugged in.',
        );
      }
      printText(`${formatKeys(all)}\n`);
      for (const k of all) for (const l of k.limitations) info(`• ${k.label}: ${l}`);
    });

  cmd
    .command('credentials')
    .description('list the passkeys on a key, grouped by site (asks for the PIN)')
    .option('--key <id>', 'which key (id or prefix from `keys list`); optional with one key plugged in')
    .option('--pin-stdin', 'read the PIN as one line from stdin instead of the terminal')
    .option('--json', 'print {"key": …, "passkeys": […]} as JSON')
    .action(async (o: KeyOpts) => {
      const store = await keys().store(o.key);
      const ctx = await withPin(store, o);
      const passkeys = await store.list(ctx);
      const facts = await store.describe(ctx);
      if (o.json) return printJson({ key: facts, passkeys });
      printText(`${formatBySite(passkeys)}\n`);
      info(
        `${facts.label} (${store.id}): ${passkeys.length} passkey${passkeys.length === 1 ? '' : 's'}, ${facts.remainingSlots ?? 'unknown'} free slot${facts.remainingSlots === 1 ? '' : 's'}.`,
      );
    });

  cmd
    .command('delete <credentialId>')
    .description('delete one passkey from a key, for good (needs --yes; journaled first)')
    .option('--key <id>', 'which key (id or prefix from `keys list`)')
    .option('--pin-stdin', 'read the PIN as one line from stdin instead of the terminal')
    .option('--yes', 'confirm: a passkey deleted from a security key cannot be restored')
    .action(async (credentialId: string, o: KeyOpts & { yes?: boolean }) => {
      if (!o.yes) {
        throw new PasskeyDeskError(
          'CONFIRMATION_REQUIRED',
          `Deleting a passkey from a security key cannot be undone, and the site will no longer accept it from this key. Run again with --yes to confirm: ${['passkey-desk keys delete', credentialId, ...(o.key ? ['--key', o.key] : []), ...(o.pinStdin ? ['--pin-stdin'] : []), '--yes'].join(' ')}`,
        );
      }
      const store = await keys().store(o.key);
      const { pin } = await withPin(store, o);
      const { passkey } = await handlers()['keys.delete']({ key: store.id, credentialId, pin: pin ?? '' });
      info(
        `Deleted the passkey for ${passkey.userName ?? 'an account'} on ${passkey.rpId} from ${store.label}.`,
      );
    });

  cmd
    .command('rename <credentialId>')
    .description('correct the user name and/or display name stored with a passkey on a key (CTAP 2.1 keys)')
    .option('--key <id>', 'which key (id or prefix from `keys list`)')
    .option('--pin-stdin', 'read the PIN as one line from stdin instead of the terminal')
    .option('--user-name <name>', 'the new user name (e.g. the e-mail address used on the site)')
    .option('--display-name <name>', 'the new display name')
    .option('--json', 'print the updated passkey as JSON')
    .action(async (credentialId: string, o: KeyOpts & { userName?: string; displayName?: string }) => {
      if (o.userName === undefined && o.displayName === undefined) {
        throw new PasskeyDeskError('INVALID_INPUT', 'Give --user-name, --display-name or both.');
      }
      const store = await keys().store(o.key);
      // A key that cannot rename says so before asking for its PIN and reading every site on it.
      const facts = await store.describe();
      if (!facts.canRename)
        throw new PasskeyDeskError(
          'UNSUPPORTED',
          `${facts.label} cannot rename passkeys${facts.limitations.length > 0 ? `: ${facts.limitations.join(' ')}` : ' (it needs CTAP 2.1 credential management)'}`,
        );
      const { pin } = await withPin(store, o);
      const after = await handlers()['keys.rename']({
        key: store.id,
        credentialId,
        pin: pin ?? '',
        ...(o.userName !== undefined ? { userName: o.userName } : {}),
        ...(o.displayName !== undefined ? { userDisplayName: o.displayName } : {}),
      });
      if (o.json) return printJson(after);
      info(
        `Updated the passkey on ${after.rpId}: user name "${after.userName ?? ''}", display name "${after.userDisplayName ?? ''}".`,
      );
    });
}

export function formatKeys(all: SecurityKeyFacts[]): string {
  return table(
    all.map((k) => ({
      id: k.id,
      product: k.label,
      aaguid: k.aaguid,
      ctap: k.versions.filter((v) => v.startsWith('FIDO_')).join(' '),
      pin:
        k.pinSet === null
          ? 'unsupported'
          : !k.pinSet
            ? 'not set'
            : k.pinBlocked
              ? 'BLOCKED'
              : k.powerCycleRequired
                ? `set, ${k.pinRetries ?? '?'} tries; unplug and replug it first`
                : `set, ${k.pinRetries ?? '?'} tries`,
      slots: k.remainingSlots === null ? '—' : String(k.remainingSlots),
    })),
    [
      { key: 'id', title: 'ID' },
      { key: 'product', title: 'PRODUCT', max: 36 },
      { key: 'aaguid', title: 'AAGUID' },
      { key: 'ctap', title: 'CTAP' },
      { key: 'pin', title: 'PIN' },
      { key: 'slots', title: 'FREE SLOTS' },
    ],
  );
}

export function formatBySite(passkeys: Passkey[]): string {
  if (passkeys.length === 0) return 'No passkeys are stored on this key.';
  const sites = new Map<string, Passkey[]>();
  for (const p of passkeys) sites.set(p.rpId, [...(sites.get(p.rpId) ?? []), p]);
  return [...sites.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([rpId, ps]) => {
      const rows = ps.map((p) => ({
        user: p.userName ?? '—',
        name: p.userDisplayName ?? '—',
        id: p.credentialId,
      }));
      const lines = table(rows, [
        { key: 'user', title: 'USER', max: 40 },
        { key: 'name', title: 'DISPLAY NAME', max: 30 },
        { key: 'id', title: 'CREDENTIAL ID' },
      ]).split('\n');
      // Indent the whole table (titles, rule and rows alike) under its site, so the columns stay aligned.
      return [`${rpId} (${ps.length})`, ...lines.map((l) => `  ${l}`)].join('\n');
    })
    .join('\n\n');
}

/**
 * Reads a PIN: with --pin-stdin, the first line of stdin; otherwise from the terminal with echo muted. Without a
 * terminal and without --pin-stdin it refuses rather than hang.
 */
export async function readPinFromTerminal(prompt: string, fromStdin: boolean): Promise<string> {
  const input = process.stdin;
  // No PIN given is how the command was run (exit 2, as bad input), not something the key refused.
  if (!fromStdin && !input.isTTY) {
    throw new PasskeyDeskError(
      'INVALID_INPUT',
      'The security key needs its PIN, and there is no terminal to ask for it. Pipe it in with --pin-stdin (one line on stdin).',
    );
  }
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _enc, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input, output, terminal: !fromStdin && input.isTTY === true });
  try {
    return await new Promise<string>((resolve, reject) => {
      if (!fromStdin) {
        process.stderr.write(terminalSafe(prompt));
        muted = true;
      }
      rl.once('line', (line) => {
        const pin = line.replace(/\r$/, '');
        if (pin === '')
          reject(
            new PasskeyDeskError(
              'INVALID_INPUT',
              fromStdin
                ? 'No PIN was entered (the first line on stdin was empty); no attempt was used. Put the PIN on the first line of stdin.'
                : 'No PIN was entered (an empty line); no attempt was used. Run the command again and type the PIN.',
            ),
          );
        else resolve(pin);
      });
      rl.once('SIGINT', () => reject(new PasskeyDeskError('USER_CANCELLED', 'Cancelled.')));
      rl.once('close', () =>
        reject(new PasskeyDeskError('PIN_REQUIRED', 'No PIN was entered (stdin closed).')),
      );
    });
  } finally {
    muted = false;
    if (!fromStdin) process.stderr.write('\n');
    rl.close();
  }
}
