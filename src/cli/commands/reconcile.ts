import type { Command } from 'commander';
import type { ApplyOutcome, PlanView, ReconcileReport } from '../../shared/contract/accounts';
import { parseRequest } from '../../shared/contract/validate';
import { isPasskeyDeskError, PasskeyDeskError } from '../../shared/errors';
import { shortId } from '../../shared/model';
import type { Guard, ReconcileRow } from '../../shared/reconcile';
import type { CliApp } from '../app';
import { info, printJson, table, printText } from '../output';

/** The options of `prune`, as commander gives them. */
interface PruneOptions {
  dryRun?: boolean;
  yes?: boolean;
  account?: string;
  override: string[];
  resume?: boolean;
  abandon?: boolean;
  retry?: boolean;
  json?: boolean;
}

/** `passkey-desk reconcile` (compare both sides) and `passkey-desk prune` (plan, confirm, apply, resume). */
export function registerReconcile(program: Command, app: CliApp): void {
  const h = () => app.services().handlers;

  program
    .command('reconcile')
    .description("compare this machine's passkeys with each connected account's server")
    .option('--account <id>', 'only this account')
    .option('--json', 'print JSON: per account, rows with credentialId, status, store and proposed actions')
    .action(async (o: { account?: string; json?: boolean }) => {
      const report = await h()['reconcile.run'](
        parseRequest('reconcile.run', o.account ? { accountId: o.account } : {}),
      );
      if (o.json) printJson(report);
      else printText(formatReport(report));
      const notRead = report.accounts.filter((a) => !a.ok);
      if (notRead.length > 0)
        // The cause is each account's own (a server down, signed out, the keyring): said per account above.
        throw new PasskeyDeskError(
          'SERVER_UNREACHABLE',
          notRead.length === 1 && notRead[0]!.error
            ? `${notReadList(notRead)} could not be read, so its passkeys were not compared (fix this, then reconcile again): ${notRead[0]!.error.message}`
            : `${notReadList(notRead)} could not be read, so their passkeys were not compared. Fix what each account's line says (a server down, a sign-in needed, the keyring), then reconcile again.`,
        );
    });

  program
    .command('prune')
    .description(
      'remove orphans on either side: prints the plan; applies it only with --yes; never locks you out unless you override a guard',
    )
    .option('--dry-run', 'check the plan against the current state and change nothing')
    .option('--yes', 'apply the plan (or, with --resume, finish the interrupted one)')
    .option('--account <id>', 'only this account')
    .option(
      '--override <actionId:guard...>',
      'lift one guard (last-passkey or still-accepted) for one action id',
      collect,
      [] as string[],
    )
    .option('--resume', 'finish the plan an interruption left unfinished')
    .option('--abandon', 'give up the unfinished plan (nothing more runs)')
    .option('--retry', 'run again the failed steps of the last plan that did not fully succeed (with --yes)')
    .option('--json', 'print JSON')
    .action(async (o: PruneOptions) => {
      const stop = app.services().accounts.reconciler.onProgress((e) => {
        if (!o.json) info(`[${e.done}/${e.total}] ${e.message}`);
      });
      try {
        await prune(o);
      } finally {
        stop();
      }
    });

  async function prune(o: PruneOptions): Promise<void> {
    // At most one of the plan's modes, and --yes is not a dry run: refuse a mix rather than pick one silently.
    const modes = (['dryRun', 'resume', 'abandon', 'retry'] as const).filter((k) => o[k]);
    const flag = (k: string) => `--${k === 'dryRun' ? 'dry-run' : k}`;
    if (modes.length > 1 || (o.dryRun && o.yes) || (o.abandon && o.yes))
      throw new PasskeyDeskError(
        'INVALID_INPUT',
        `${[...modes.map(flag), ...(o.yes ? ['--yes'] : [])].join(' and ')} do not go together: --dry-run, --resume, --retry and --abandon are separate modes, and --yes applies (it does nothing with --dry-run or --abandon).`,
      );
    const pending = await h()['reconcile.pending']({});
    if (o.retry) {
      if (pending[0])
        throw new PasskeyDeskError(
          'JOURNAL_PENDING',
          `Plan ${pending[0].planId} was interrupted while it was applied. Finish it (passkey-desk prune --resume --yes) or give it up (--abandon) first.`,
        );
      const plan = await app.services().accounts.reconciler.latestPartial();
      if (!plan) return info('No plan with failed steps: nothing to retry.');
      if (!o.yes) {
        printPlan(plan, o.json);
        throw new PasskeyDeskError(
          'CONFIRMATION_REQUIRED',
          `Plan ${plan.planId} did not fully succeed. Run its failed steps again with: passkey-desk prune --retry --yes`,
        );
      }
      return finish(await h()['reconcile.retry']({ planId: plan.planId, confirm: true }), o.json);
    }
    if (o.abandon && !pending[0]) {
      // A plan whose steps did not all succeed is not unfinished, but retry keeps offering it: give it up too.
      const partial = await app.services().accounts.reconciler.latestPartial();
      if (!partial) return info('No unfinished or partly applied plan: nothing to abandon.');
      return finish(await h()['reconcile.abandon']({ planId: partial.planId }), o.json);
    }
    if (o.resume || o.abandon) {
      const plan = pending[0];
      if (!plan) return info('No unfinished plan: nothing to resume.');
      if (o.abandon) return finish(await h()['reconcile.abandon']({ planId: plan.planId }), o.json);
      if (!o.yes) {
        printPlan(plan, o.json);
        throw new PasskeyDeskError(
          'CONFIRMATION_REQUIRED',
          `Plan ${plan.planId} is unfinished. Finish it with: passkey-desk prune --resume --yes (or give it up: --abandon).`,
        );
      }
      return finish(await h()['reconcile.resume']({ planId: plan.planId, confirm: true }), o.json);
    }
    if (pending[0] && !o.dryRun) {
      // With --json, the unfinished plan itself (what it is, what is left) on stdout for the script to act on.
      if (o.json) printPlan(pending[0], true);
      throw new PasskeyDeskError(
        'JOURNAL_PENDING',
        `Plan ${pending[0].planId} was interrupted while it was applied. Finish it (passkey-desk prune --resume --yes) or give it up (--abandon) first.`,
      );
    }
    const overrides = o.override.map(parseOverride);
    const request = parseRequest('reconcile.plan', {
      selection: 'prune',
      ...(o.account ? { accountId: o.account } : {}),
      ...(overrides.length ? { overrides } : {}),
    });
    const makePlan = h()['reconcile.plan'];
    const plan = await makePlan(request).catch((e: unknown) => {
      // An account that could not be read (server down, signed out, keyring) exits 5, as plain prune and
      // reconcile do, whatever the cause; the message keeps the cause and what to do.
      if (isPasskeyDeskError(e) && e.details?.notRead !== undefined)
        throw new PasskeyDeskError('SERVER_UNREACHABLE', e.message, e.details);
      throw e;
    });
    // The same command again, with --yes: the account and the overrides the user gave are part of the plan.
    const again = [
      'passkey-desk prune',
      ...(o.account ? [`--account ${o.account}`] : []),
      ...o.override.map((x) => `--override '${x}'`),
      '--yes',
    ].join(' ');
    if (o.dryRun) {
      const outcome = await h()['reconcile.apply']({ planId: plan.planId, dryRun: true });
      if (o.json) printJson({ plan, outcome });
      else printPlan(plan, false, again);
      return notReadStop(plan);
    }
    if (!o.yes) {
      printPlan(plan, o.json, again);
      if (plan.steps.length === 0) return notReadStop(plan) ?? blockedStop(plan, again);
      throw new PasskeyDeskError(
        'CONFIRMATION_REQUIRED',
        `Nothing was changed. Apply this plan with: ${again}`,
      );
    }
    if (!o.json) printPlan(plan, false, again);
    if (plan.steps.length === 0) {
      if (o.json) printJson({ plan, outcome: null });
      return notReadStop(plan) ?? blockedStop(plan, again);
    }
    finish(await h()['reconcile.apply']({ planId: plan.planId, confirm: true }), o.json, plan);
    notReadStop(plan);
    blockedStop(plan, again);
  }
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `ACTION_ID:GUARD`; action ids contain colons themselves, so the guard is after the last one. */
export function parseOverride(text: string): { actionId: string; guard: Guard } {
  const at = text.lastIndexOf(':');
  const guard = text.slice(at + 1);
  if (at <= 0 || (guard !== 'last-passkey' && guard !== 'still-accepted')) {
    throw new PasskeyDeskError(
      'INVALID_INPUT',
      `--override "${text}": expected ACTION_ID:GUARD with GUARD last-passkey or still-accepted (action ids are in \`passkey-desk reconcile --json\`).`,
    );
  }
  const actionId = text.slice(0, at);
  // Each guard stops one kind of action: an override for another kind would lift nothing, silently.
  const kind = actionId.slice(0, actionId.indexOf(':'));
  const stops = guard === 'last-passkey' ? 'revoke-server' : 'delete-local';
  if (kind !== stops)
    throw new PasskeyDeskError(
      'INVALID_INPUT',
      `--override "${text}": the ${guard} guard only ever stops ${stops} actions, and this is ${kind ? `a ${kind}` : 'not an'} action, so there is nothing to lift. Take the exact --override the plan prints for a blocked action.`,
    );
  return { actionId, guard };
}

/** "ana at https://… and bo at https://…" */
function notReadList(accounts: readonly { userName: string; serverUrl: string }[]): string {
  const names = accounts.map((a) => `${a.userName} at ${a.serverUrl}`);
  return names.length === 1 ? `The account ${names[0]!}` : `The accounts ${names.join(', ')}`;
}

/** Exits 5 when an account was left out of the plan because its server could not be read. */
function notReadStop(plan: PlanView): undefined {
  if (plan.notRead.length === 0) return undefined;
  // The cause is each account's own (a server down, signed out, the keyring): "once the server can be reached"
  // would mislead a user who only needs to sign in again.
  const [only] = plan.notRead;
  throw new PasskeyDeskError(
    'SERVER_UNREACHABLE',
    plan.notRead.length === 1 && only?.error
      ? `${notReadList(plan.notRead)} could not be read, so nothing was planned for it (fix this, then prune again): ${only.error.message}`
      : `${notReadList(plan.notRead)} could not be read, so nothing was planned for ${plan.notRead.length === 1 ? 'it' : 'them'}. Fix what each account's line says (a server down, a sign-in needed, the keyring), then prune again.`,
  );
}

/** Exits 4 when a guard kept an action out of the plan (what was not blocked has run). */
function blockedStop(plan: PlanView, again: string): undefined {
  const first = plan.blocked[0];
  if (first === undefined) return undefined;
  throw new PasskeyDeskError(
    first.guard === 'last-passkey' ? 'LAST_PASSKEY' : 'STILL_ACCEPTED',
    `A guard kept ${plan.blocked.length === 1 ? 'an action' : `${plan.blocked.length} actions`} out of the plan: ${first.reason} To lift it for that action, knowing the risk: ${liftCommand(again, first)}`,
  );
}

function printPlan(plan: PlanView, json: boolean | undefined, again?: string): void {
  if (json) return printJson(plan);
  for (const a of plan.notRead)
    info(
      `Not planned: ${a.userName} at ${a.serverUrl} could not be read (${a.error?.message ?? 'no answer'}).`,
    );
  if (plan.steps.length === 0 && plan.blocked.length === 0)
    return info(
      plan.notRead.length > 0
        ? 'Nothing to prune for the accounts that could be read.'
        : 'Nothing to prune: every passkey is fine on both sides, or only you can fix it (see passkey-desk reconcile).',
    );
  info(`Plan ${plan.planId}:`);
  for (const line of plan.description) info(`  ${line}`);
  // The ids a guard override needs, ready to paste (text output shows no action ids otherwise).
  for (const b of plan.blocked)
    info(
      `  To lift the ${b.guard} guard for ${b.actionId}, knowing the risk: ${liftCommand(again ?? 'passkey-desk prune --yes', b)}`,
    );
}

/** The command the user ran (with --yes), plus the override that lifts one blocked action's guard. */
function liftCommand(again: string, b: { actionId: string; guard: string }): string {
  return again.replace(/ --yes$/, ` --override '${b.actionId}:${b.guard}' --yes`);
}

/**
 * Prints each step's outcome by action id; exits 4 when a guard stopped a step (ours, or the server's own
 * last-passkey refusal), else with the failed step's code (1 for most).
 */
function finish(outcome: ApplyOutcome, json: boolean | undefined, plan?: PlanView): void {
  if (json) printJson(plan ? { plan, outcome } : outcome);
  else for (const s of outcome.steps) info(`${s.outcome.padEnd(12)} ${s.actionId}: ${s.message}`);
  // Giving a plan up succeeded even when its steps had failed before: those lines are history, not an error.
  if (outcome.status === 'abandoned') {
    if (!json) info(`Abandoned plan ${outcome.planId}: nothing more of it runs.`);
    return;
  }
  const blocked = outcome.steps.find((s) => s.outcome === 'blocked');
  const failed = outcome.steps.find((s) => s.outcome === 'failed');
  if (failed)
    throw new PasskeyDeskError(
      failed.error?.code ?? 'INTERNAL',
      `Plan ${outcome.planId} did not finish: ${failed.message}` +
        (outcome.status !== 'partial'
          ? ''
          : failed.error?.details?.accountGone !== undefined
            ? // The account it was for was removed: retrying cannot work, giving it up can.
              ' Its account is no longer connected, so retrying cannot help: give the plan up with passkey-desk prune --abandon'
            : ' Once the cause is fixed, run the failed steps again: passkey-desk prune --retry --yes, or give it up with passkey-desk prune --abandon'),
    );
  if (blocked)
    throw new PasskeyDeskError(
      blocked.error?.code === 'LAST_PASSKEY' ? 'LAST_PASSKEY' : 'STILL_ACCEPTED',
      `A guard stopped a step of plan ${outcome.planId}: ${blocked.message}`,
    );
}

function formatRows(rows: readonly ReconcileRow[]): string {
  return table(
    rows.map((r) => ({
      status: r.status,
      store: r.store ?? '—',
      id: shortId(r.credentialId),
      user: r.userName ?? '—',
      title: r.title,
      actions: r.actions.map((a) => a.kind + (a.guard ? `(${a.guard})` : '')).join(', ') || '—',
    })),
    [
      { key: 'status', title: 'STATUS' },
      { key: 'store', title: 'STORE', max: 24 },
      { key: 'id', title: 'CREDENTIAL' },
      { key: 'user', title: 'USER', max: 24 },
      { key: 'title', title: 'WHAT IT MEANS', max: 50 },
      { key: 'actions', title: 'ACTIONS' },
    ],
  );
}

function formatReport(report: ReconcileReport): string {
  const parts: string[] = [];
  for (const a of report.accounts) {
    parts.push(
      `${a.userName} at ${a.rpId} (${a.serverUrl}, account ${a.accountId})${a.ok ? `: the server accepts ${a.accepted ?? 0} passkey(s)` : ` — not read: ${a.error?.message ?? '?'}`}`,
    );
    parts.push(
      a.rows.length
        ? formatRows(a.rows)
        : a.ok
          ? '  (no passkeys on either side)'
          : '  (no passkeys on this computer; the server side is unknown)',
    );
    parts.push('');
  }
  if (report.unassigned.length) {
    parts.push('Passkeys of sites with no connected account:');
    parts.push(formatRows(report.unassigned));
    parts.push('');
  }
  if (parts.length === 0)
    parts.push(
      'No connected accounts and no passkeys. Add an account: passkey-desk accounts add URL --user NAME',
      '',
    );
  return `${parts.join('\n')}\n`;
}
