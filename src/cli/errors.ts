import type { ErrorCode } from '../shared/errors';
import { isPasskeyDeskError } from '../shared/errors';
import { terminalSafe } from './output';

/** Exit codes: 0 ok, 1 refused or failed, 2 usage, 3 not found, 4 needs confirmation or a guard stopped it, 5 unavailable, 70 internal. */
export function exitCodeFor(code: ErrorCode): number {
  switch (code) {
    case 'INVALID_INPUT':
    case 'IMPORT_INVALID':
    case 'IMPORT_ENCRYPTED':
    case 'IMPORT_TOO_LARGE':
      return 2;
    case 'NOT_FOUND':
      return 3;
    case 'CONFIRMATION_REQUIRED':
    case 'LAST_PASSKEY':
    case 'STILL_ACCEPTED':
    case 'JOURNAL_PENDING':
      return 4;
    case 'KEYRING_UNAVAILABLE':
    case 'KEYRING_LOCKED':
    case 'DATA_UNAVAILABLE':
    case 'STORE_UNAVAILABLE':
    case 'SERVER_UNREACHABLE':
    case 'USER_VERIFICATION_UNAVAILABLE':
    case 'NEEDS_ADMIN':
      return 5;
    case 'INTERNAL':
      return 70;
    default:
      return 1;
  }
}

/**
 * Request fields as the command line names them (the contract's field names otherwise). A request the contract
 * refuses says "Invalid vault.create request — rpId: …"; on the command line that reads as the option or argument.
 */
const CLI_NAMES: Record<string, string> = {
  serverUrl: 'the server address',
  rpId: '--rp-id',
  userName: '--user',
  displayName: '--display-name',
  credentialId: 'the credential ID',
  accountId: 'the account id',
  storeId: 'the store id',
  nickname: 'the nickname',
  planId: 'the plan id',
  path: 'the file',
};

/** Where a command takes a field as an argument rather than the usual option. */
const CLI_NAMES_BY_CHANNEL: Record<string, Record<string, string>> = {
  'guided.mark': { rpId: 'SITE', store: 'STORE' },
  'guided.unmark': { id: 'MARK_ID (printed by stores mark-deleted)' },
};

/** The contract's "Invalid <channel> request — field: problem" in command-line words; other messages as they are. */
export function cliMessage(message: string): string {
  const found = /^Invalid ([\w.]+) request — (.*)$/s.exec(message);
  if (!found) return message;
  const byChannel = CLI_NAMES_BY_CHANNEL[found[1]!] ?? {};
  const problems = found[2]!.replace(/(^|; )([A-Za-z][\w.]*): /g, (_m, sep: string, field: string) => {
    const first = field.split('.')[0]!;
    const name = byChannel[first] ?? CLI_NAMES[first];
    return `${sep}${name ?? field}: `;
  });
  return `Invalid input — ${problems.replace(/\.$/, '')} (see --help).`;
}

/** Prints a user error without a stack trace (unless PASSKEY_DESK_DEBUG is set) and returns the exit code. */
export function reportError(e: unknown, env: NodeJS.ProcessEnv = process.env): number {
  if (isPasskeyDeskError(e)) {
    // One line, as the README promises: a message carrying a library's line breaks (an OpenSSL error) is joined.
    process.stderr.write(`passkey-desk: ${terminalSafe(oneLine(cliMessage(e.message)))}\n`);
    if (env.PASSKEY_DESK_DEBUG) process.stderr.write(`${e.stack ?? ''}\n`);
    return exitCodeFor(e.code);
  }
  const message = e instanceof Error ? e.message : String(e);
  process.stderr.write(
    `passkey-desk: unexpected error: ${terminalSafe(message)}\nThis is a bug; run again with PASSKEY_DESK_DEBUG=1 for details.\n`,
  );
  if (env.PASSKEY_DESK_DEBUG && e instanceof Error) process.stderr.write(`${e.stack ?? ''}\n`);
  return 70;
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ').trim();
