/**
 * Plain-text tables and JSON for the terminal. JSON goes to stdout only; messages go to stderr.
 *
 * Everything printed passes through `terminalSafe`: user names, site names and labels come from exports, servers
 * and security keys, and a name holding escape sequences would otherwise drive the user's terminal (retitle it,
 * clear it, recolour or hide text), or a newline in it would forge table rows. Control characters (C0 but line
 * breaks in messages, DEL, C1) and the bidirectional overrides that reorder text on screen are shown escaped.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_IN_CELL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- the same, line breaks and tabs allowed (messages span lines)
const UNSAFE_IN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const escaped = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `text` with every character that could act on a terminal shown as `\uXXXX`; line breaks kept unless `cell`. */
export function terminalSafe(text: string, cell = false): string {
  return text.replace(cell ? UNSAFE_IN_CELL : UNSAFE_IN_TEXT, escaped);
}

/** Text for stdout (tables, reports), made terminal-safe. */
export function printText(text: string): void {
  process.stdout.write(terminalSafe(text));
}

export function printJson(value: unknown): void {
  // JSON.stringify escapes C0 controls; DEL, C1 and bidi overrides are escaped too (still the same JSON).
  process.stdout.write(`${terminalSafe(JSON.stringify(value, null, 2))}\n`);
}

export function table(
  rows: Record<string, string>[],
  columns: { key: string; title: string; max?: number }[],
): string {
  const cell = (raw: string, max?: number) => {
    const v = terminalSafe(raw, true);
    return max && v.length > max ? `${v.slice(0, max - 1)}…` : v;
  };
  const widths = columns.map((c) =>
    Math.max(c.title.length, ...rows.map((r) => cell(r[c.key] ?? '', c.max).length)),
  );
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((c) => c.title)),
    line(widths.map((w) => '─'.repeat(w))),
    ...rows.map((r) => line(columns.map((c) => cell(r[c.key] ?? '', c.max)))),
  ].join('\n');
}

export function info(message: string): void {
  process.stderr.write(`${terminalSafe(message)}\n`);
}

export function date(iso: string | null): string {
  return iso ? iso.slice(0, 10) : '—';
}
