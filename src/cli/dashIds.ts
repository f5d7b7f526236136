/**
 * Credential IDs are base64url, so one in 64 starts with `-` (one in 4,096 with `--`), and commander reads such
 * an argument as an option: "unknown option '-pkq…'", or help for one that starts with `-h`. An ID copied from
 * `passkey-desk inventory` must work as printed, so such arguments are swapped for placeholders before parsing
 * and swapped back, in arguments and option values alike, before the command runs.
 *
 * An argument counts as an ID when it is `-` followed by at least 15 characters of the base64url alphabet, one
 * of them a capital, a digit or `_`: option names are lower-case words joined by `-`, so none is ever taken.
 */
const ID_LIKE = /^-[A-Za-z0-9_-]{15,}$/;
const NOT_AN_OPTION_NAME = /[A-Z0-9_]/;
/** Placeholders start with a character no shell argument has. */
const MARK = '\u0000';
const PLACEHOLDER = new RegExp(`${MARK}(\\d+)`, 'g');

export interface ShieldedArgs {
  args: string[];
  /** The original of a placeholder (or of each in an array); anything else as it is. */
  restore: (value: unknown) => unknown;
  /** A message (the parser's own errors) with every placeholder in it swapped back. */
  restoreText: (text: string) => string;
}

export function shieldDashIds(argv: readonly string[]): ShieldedArgs {
  const originals: string[] = [];
  const args = argv.map((arg) => {
    if (arg === '--') return arg;
    if (!ID_LIKE.test(arg) || !NOT_AN_OPTION_NAME.test(arg)) return arg;
    originals.push(arg);
    return `${MARK}${originals.length - 1}`;
  });
  const one = (value: unknown): unknown =>
    typeof value === 'string' && value.startsWith(MARK)
      ? (originals[Number(value.slice(1))] ?? value)
      : value;
  const restore = (value: unknown): unknown => (Array.isArray(value) ? value.map(one) : one(value));
  const restoreText = (text: string): string =>
    text.replace(PLACEHOLDER, (found, n: string) => originals[Number(n)] ?? found);
  return { args, restore, restoreText };
}
