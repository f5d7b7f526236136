import type { Command } from 'commander';
import { SESSION_LEFT_OPEN, type AccountView } from '../../shared/contract/accounts';
import { parseRequest } from '../../shared/contract/validate';
import { PasskeyDeskError } from '../../shared/errors';
import type { CliApp } from '../app';
import { date, info, printJson, table, printText } from '../output';

/** `passkey-desk accounts …`: connect Passkey Desk to accounts on relying-party servers. */
export function registerAccounts(program: Command, app: CliApp): void {
  const accounts = program
    .command('accounts')
    .description('connect accounts on passkey servers, so reconcile can compare both sides');
  const h = () => app.services().handlers;
  /** The desktop login prints where to sign in (the browser may not open by itself). */
  const showProgress = (browser: boolean) => {
    const stopProgress = app.services().accounts.reconciler.onProgress((e) => info(e.message));
    if (!browser) return stopProgress;
    // Ctrl-C while a browser sign-in waits cancels it (the listener closes, the error says so) instead of
    // killing the process mid-way; a second Ctrl-C is Node's default again.
    const cancel = () => app.services().accounts.accounts.cancelBrowserSignIn();
    process.once('SIGINT', cancel);
    return () => {
      stopProgress();
      process.removeListener('SIGINT', cancel);
    };
  };

  accounts
    .command('add <serverUrl>')
    .description(
      'discover the server and sign in: with a vault passkey (default), through the browser (--browser), or sign up with a new vault passkey (--create)',
    )
    .option('--user <name>', 'your user name on that server')
    .option('--display-name <name>', 'with --create: the name shown for the account')
    .option('--create', 'create the account on the server with a new vault passkey')
    .option(
      '--browser',
      'sign in through the system browser, with a passkey held anywhere (phone, password manager)',
    )
    .option('--json', 'print the account as JSON')
    .action(
      async (
        serverUrl: string,
        o: { user?: string; displayName?: string; create?: boolean; browser?: boolean; json?: boolean },
      ) => {
        // Said rather than silently ignored: a user who wrote both meant something the command does not do.
        if (o.create && o.browser)
          throw new PasskeyDeskError(
            'INVALID_INPUT',
            '--create and --browser do not go together: --create signs up with a new vault passkey; --browser signs in to an existing account with a passkey held elsewhere. Choose one.',
          );
        if (o.browser && o.user)
          throw new PasskeyDeskError(
            'INVALID_INPUT',
            '--user is not used with --browser: you choose the account on the site itself. Leave --user out (or sign in with a vault passkey: --user without --browser).',
          );
        if (o.displayName && !o.create)
          throw new PasskeyDeskError(
            'INVALID_INPUT',
            '--display-name is only for signing up (--create); an existing account keeps the name it has on the server.',
          );
        const method = o.create ? 'create' : o.browser ? 'browser' : 'vault';
        const req = parseRequest('accounts.add', {
          serverUrl,
          method,
          ...(o.user ? { userName: o.user } : {}),
          ...(o.displayName ? { displayName: o.displayName } : {}),
        });
        const stop = showProgress(method === 'browser');
        try {
          const account = await h()['accounts.add'](req);
          if (o.json) printJson(account);
          else
            info(
              `Connected ${account.userName} at ${account.rpId} (${account.serverUrl}) as account ${account.id}.`,
            );
        } finally {
          stop();
        }
      },
    );

  accounts
    .command('list')
    .description('list the connected accounts')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const list = await h()['accounts.list']({});
      if (o.json) printJson(list);
      else if (list.length === 0)
        info('No connected accounts. Add one: passkey-desk accounts add https://example.com --user NAME');
      else printText(`${formatAccounts(list)}\n`);
    });

  accounts
    .command('remove <accountId>')
    .description('sign out and forget an account (passkeys on either side are not touched)')
    .action(async (accountId: string) => {
      const r = await h()['accounts.remove'](parseRequest('accounts.remove', { accountId }));
      info(`Removed account ${r.accountId}${r.signedOut ? ' and signed out on the server' : ''}.`);
      if (r.sessionLeftOpen) info(SESSION_LEFT_OPEN);
    });

  accounts
    .command('signin <accountId>')
    .description('sign in again (with a vault passkey, or --browser)')
    .option('--browser', 'sign in through the system browser')
    .action(async (accountId: string, o: { browser?: boolean }) => {
      const stop = showProgress(o.browser === true);
      try {
        const a = await h()['accounts.signIn'](
          parseRequest('accounts.signIn', { accountId, method: o.browser ? 'browser' : 'vault' }),
        );
        info(`Signed in to ${a.userName} at ${a.rpId}.`);
      } finally {
        stop();
      }
    });

  accounts
    .command('signout <accountId>')
    .description('sign out on the server and forget the session')
    .action(async (accountId: string) => {
      const a = await h()['accounts.signOut'](parseRequest('accounts.signOut', { accountId }));
      info(`Signed out of ${a.userName} at ${a.rpId}.`);
      if (a.sessionLeftOpen) info(SESSION_LEFT_OPEN);
    });

  accounts
    .command('refresh [accountId]')
    .description("re-read each account's details and passkey count")
    .option('--json', 'print JSON')
    .action(async (accountId: string | undefined, o: { json?: boolean }) => {
      const list = await h()['accounts.refresh'](
        parseRequest('accounts.refresh', accountId ? { accountId } : {}),
      );
      // An account that could not be read is "something needed is unavailable" (exit 5), as in reconcile.
      if (list.some((r) => r.error !== null)) process.exitCode = 5;
      if (o.json) printJson(list);
      else
        for (const r of list)
          info(
            `${r.account.id}  ${r.account.userName} at ${r.account.rpId}: ${r.error ? `${r.error.code} — ${r.error.message}` : `${r.credentials ?? 0} passkey(s) on the server`}`,
          );
    });

  accounts
    .command('add-passkey <accountId>')
    .description('create a vault passkey and register it with the account')
    .option('--name <name>', 'its name on the server', 'Passkey Desk vault')
    .option('--json', 'print JSON')
    .action(async (accountId: string, o: { name: string; json?: boolean }) => {
      const r = await h()['accounts.addVaultPasskey'](
        parseRequest('accounts.addVaultPasskey', { accountId, name: o.name }),
      );
      if (o.json) printJson(r);
      else
        info(`Added vault passkey ${r.passkey.credentialId} to ${r.passkey.userName} at ${r.passkey.rpId}.`);
    });
}

function formatAccounts(list: AccountView[]): string {
  return table(
    list.map((a) => ({
      id: a.id,
      user: a.userName,
      rp: a.rpId,
      server: a.serverUrl,
      session: a.signedIn
        ? `signed in (${a.signedInWith ?? '?'}) until ${date(a.sessionExpiresAt)}`
        : 'signed out',
    })),
    [
      { key: 'id', title: 'ID' },
      { key: 'user', title: 'USER', max: 30 },
      { key: 'rp', title: 'RP ID', max: 30 },
      { key: 'server', title: 'SERVER', max: 40 },
      { key: 'session', title: 'SESSION' },
    ],
  );
}
