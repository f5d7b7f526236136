/**
 * The troubleshooter's model: checks look at one thing each (this machine, the account's server, the passkeys on
 * both sides) and return findings. Plain JSON-safe shapes so a finding crosses IPC and `--json` unchanged.
 */
import type { PlanSelection } from '../reconcile';

export const VERDICTS = ['problem', 'unknown', 'ok'] as const;
/** `problem`: this is wrong here. `unknown`: cannot be told from here (the finding says how to check). `ok`: ruled out. */
export type Verdict = (typeof VERDICTS)[number];

export const CHECK_IDS = [
  'passkey-status',
  'store-reach',
  'platform',
  'windows-hello',
  'touch-id',
  'bluetooth',
  'server-reachable',
  'hybrid-policy',
  'android-profile',
  'sync',
  'vault-file',
  'keyring',
  'vault-key',
  'user-verification',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/** One thing a check looked at, as a person would read it ("Adapter hci0" → "present, powered off"). */
export interface Evidence {
  label: string;
  value: string;
}

/** A confirmed plan over the reconcile machinery: the troubleshooter proposes, the user confirms, reconcile applies. */
export interface PlanFix {
  kind: 'plan';
  label: string;
  accountId: string;
  /** Exactly what to pass to the reconcile plan builder: action ids from the reconcile rows, no overrides. */
  selection: PlanSelection;
  /** One line per step, for the confirmation screen. */
  effects: string[];
}

/** Steps a person follows (a store no program can change, a switch in Settings). */
export interface StepsFix {
  kind: 'steps';
  label: string;
  steps: string[];
  /**
   * The exact commands among the steps, for this computer (`passkey-desk vault restore <full ID>`). The report
   * shortens long IDs, so `passkey-desk doctor` prints these after it; absent when no step is a command.
   */
  commands?: string[];
}

/** A place to go: an OS deep link (opened through the shell's allow-list) or a page. */
export interface LinkFix {
  kind: 'link';
  label: string;
  url: string;
  steps: string[];
}

export type Fix = PlanFix | StepsFix | LinkFix;

export interface Finding {
  /** Stable within a run: `<check>` or `<check>:<subject>`. */
  id: string;
  check: CheckId;
  verdict: Verdict;
  /** Short, in the user's words. */
  title: string;
  /** Plain words: what is wrong (or why this is ruled out), quoting the message users see where there is one. */
  explanation: string;
  evidence: Evidence[];
  fix: Fix | null;
  /**
   * 0..1: how likely this finding explains the user's trouble. Checks set how strongly the finding explains a
   * failed sign-in in general; `rankFindings` weighs it by the message the user saw.
   */
  likelihood: number;
}

/**
 * One check. `Ctx` is what it needs (a platform, a bus address, an account's reconcile rows); checks never throw
 * for states of the machine — those are findings — and the runner turns an unexpected failure into `unknown`.
 */
export interface Check<Ctx> {
  readonly id: CheckId;
  /** What it looks at, for progress and for the report's "checked" list. */
  readonly title: string;
  run(ctx: Ctx): Promise<Finding[]>;
}

export function finding(
  f: Omit<Finding, 'fix' | 'evidence'> & Partial<Pick<Finding, 'fix' | 'evidence'>>,
): Finding {
  return { ...f, evidence: f.evidence ?? [], fix: f.fix ?? null };
}
