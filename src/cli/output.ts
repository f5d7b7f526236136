/** Plain-text tables and JSON for the terminal. JSON goes to stdout only; messages go to stderr. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function table(
  rows: Record<string, string>[],
  columns: { key: string; title: string; max?: number }[],
): string {
  const cell = (v: string, max?: number) => (max && v.length > max ? `${v.slice(0, max - 1)}…` : v);
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
  process.stderr.write(`${message}\n`);
}

export function date(iso: string | null): string {
  return iso ? iso.slice(0, 10) : '—';
}
