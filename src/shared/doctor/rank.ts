import type { MessageKey } from './messages';
import { weightFor } from './messages';
import type { Finding, Verdict } from './types';

/** An `ok` finding never outranks a problem; an `unknown` sits between (it may be the cause, nobody can tell). */
const VERDICT_WEIGHT: Record<Verdict, number> = { problem: 1, unknown: 0.35, ok: 0.02 };

/**
 * Orders findings by how likely each explains what the user saw: the check's own likelihood × how much that check
 * matters for the message × the verdict. Returns new findings whose `likelihood` is that product (rounded), most
 * likely first; ties keep the checks' order, so the same machine gives the same report.
 */
export function rankFindings(findings: readonly Finding[], message: MessageKey | null): Finding[] {
  return findings
    .map((f, index) => ({
      f: { ...f, likelihood: round(f.likelihood * weightFor(message, f.check) * VERDICT_WEIGHT[f.verdict]) },
      index,
    }))
    .sort((a, b) => b.f.likelihood - a.f.likelihood || a.index - b.index)
    .map(({ f }) => f);
}

/**
 * The finding a help desk should read first: the highest-ranked one that is not ruled out — the report's first
 * line. A problem with a check the message does not name (Bluetooth for "you already have a passkey") is true but
 * not the likely cause, so it does not jump ahead of a relevant finding that cannot be told yet ("pick the account").
 */
export function topFinding(ranked: readonly Finding[]): Finding | null {
  return ranked.find((f) => f.verdict !== 'ok') ?? null;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
