import type { StepOutcome } from '../../../shared/contract/accounts';
import { missingCase } from '../../../shared/errors';
import type { ActionKind, Guard, ReconcileStatus } from '../../../shared/reconcile';
import type { BadgeTone } from '../../ui/Badge';

/** How a row's status reads as a badge: a short name and a tone (good = nothing to do). */
export function statusBadge(status: ReconcileStatus): { label: string; tone: BadgeTone } {
  switch (status) {
    case 'synced':
      return { label: 'Synced', tone: 'good' };
    case 'local-orphan':
      return { label: 'Only on this machine', tone: 'bad' };
    case 'server-orphan':
      return { label: 'Only on the server', tone: 'bad' };
    case 'elsewhere':
      return { label: 'Kept elsewhere', tone: 'accent' };
    case 'duplicate':
      return { label: 'Duplicate', tone: 'warn' };
    case 'unmanaged':
      return { label: 'No account connected', tone: 'neutral' };
    default:
      return missingCase(status);
  }
}

/** The button that runs one action of a row. */
export function actionLabel(kind: ActionKind): string {
  switch (kind) {
    case 'delete-local':
      return 'Delete here';
    case 'revoke-server':
      return 'Revoke on the server';
    case 'rename-server':
      return 'Name it on the server';
    case 'mark-deleted':
      return 'I deleted it there';
    case 'open-store':
      return 'How to manage it';
    case 'connect-account':
      return 'Connect an account';
    default:
      return missingCase(kind);
  }
}

export function guardLabel(guard: Guard): string {
  switch (guard) {
    case 'last-passkey':
      return 'Last passkey';
    case 'still-accepted':
      return 'Still accepted';
    default:
      return missingCase(guard);
  }
}

/** What lifting a guard means, said where the override checkbox is. */
export function overrideLabel(guard: Guard): string {
  switch (guard) {
    case 'last-passkey':
      return 'Run it anyway, although it removes the last passkey the account accepts (you could be locked out)';
    case 'still-accepted':
      return 'Delete it anyway, although the server may still accept it (you could be locked out)';
    default:
      return missingCase(guard);
  }
}

export function outcomeBadge(outcome: StepOutcome): { label: string; tone: BadgeTone } {
  switch (outcome) {
    case 'done':
      return { label: 'Done', tone: 'good' };
    case 'already-done':
      return { label: 'Already done', tone: 'good' };
    case 'would-run':
      return { label: 'Would run', tone: 'accent' };
    case 'failed':
      return { label: 'Failed', tone: 'bad' };
    case 'blocked':
      return { label: 'Blocked', tone: 'warn' };
    case 'skipped':
      return { label: 'Skipped', tone: 'neutral' };
    case 'not-run':
      return { label: 'Not run', tone: 'neutral' };
    default:
      return missingCase(outcome);
  }
}
