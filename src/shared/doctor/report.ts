import type { MessageKey } from './messages';
import { doctorMessage } from './messages';
import { redactReport } from './redact';
import type { Finding, Fix } from './types';
import { missingCase } from '../errors';

export interface ReportMeta {
  /** ISO time of the run. */
  at: string;
  appVersion: string;
  /** "Linux 6.1 (x64)"; never a host name or a user's folder. */
  system: string;
  message: MessageKey | null;
  /** "alice on example.com" or null. */
  account: string | null;
}

/**
 * The text a user pastes to support ("copy report" in the app, `passkey-desk doctor` on the command line):
 * every finding with its evidence, most likely first. Redacted as a whole: no tokens, no keys, short IDs.
 */
export function renderReport(
  findings: readonly Finding[],
  meta: ReportMeta,
  secrets: readonly string[] = [],
): string {
  const lines: string[] = [
    'Passkey Desk troubleshooting report',
    `When: ${meta.at}`,
    `App: Passkey Desk ${meta.appVersion}`,
    `System: ${meta.system}`,
  ];
  if (meta.account) lines.push(`Account: ${meta.account}`);
  if (meta.message)
    lines.push(`Message seen: "${doctorMessage(meta.message).wordings[0]}" (${meta.message})`);
  const counts = { problem: 0, unknown: 0, ok: 0 };
  for (const f of findings) counts[f.verdict] += 1;
  lines.push(
    `Findings: ${counts.problem} problem(s), ${counts.unknown} could not be checked, ${counts.ok} ruled out`,
    '',
  );
  findings.forEach((f, i) => {
    lines.push(`${i + 1}. [${f.verdict.toUpperCase()}] ${f.title}  (${f.check}, likelihood ${f.likelihood})`);
    lines.push(...wrap(f.explanation, '   '));
    for (const e of f.evidence) lines.push(`   - ${e.label}: ${e.value}`);
    if (f.fix) lines.push(...fixLines(f.fix));
    lines.push('');
  });
  return redactReport(lines.join('\n').trimEnd() + '\n', secrets);
}

function fixLines(fix: Fix): string[] {
  switch (fix.kind) {
    case 'plan':
      return [`   Fix (a plan you confirm first): ${fix.label}`, ...fix.effects.map((e) => `     • ${e}`)];
    case 'steps':
      return [`   Fix: ${fix.label}`, ...fix.steps.map((s, i) => `     ${i + 1}. ${s}`)];
    case 'link':
      return [`   Fix: ${fix.label} — ${fix.url}`, ...fix.steps.map((s, i) => `     ${i + 1}. ${s}`)];
    default:
      return missingCase(fix);
  }
}

function wrap(text: string, indent: string, width = 100): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      out.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(indent + line);
  return out;
}
