import { PasskeyDeskError } from '../errors';
import type { ImportFormat, ImportProblem } from './types';

/** How many problems an error lists: enough to see a pattern, few enough to read. */
const LISTED = 10;
/** Parsing stops after this many: a file that wrong is the wrong file, and stopping keeps huge bad files cheap. */
const STOP_AFTER = 50;

class TooManyProblems extends Error {}

/**
 * Collects what is wrong in one file. Parsers keep going after a problem so the person sees several at once,
 * but `finish` throws if there was any: nothing is partially imported.
 */
export class Problems {
  readonly items: ImportProblem[] = [];

  constructor(
    readonly fileName: string,
    readonly format: ImportFormat,
  ) {}

  add(path: string, message: string): void {
    this.items.push({ path, message });
    if (this.items.length >= STOP_AFTER) throw new TooManyProblems();
  }

  /** Runs the parse; turns collected problems into one IMPORT_INVALID error naming the file and the fields. */
  run<T>(parse: () => T, whatToDo: string): T {
    let result: T | undefined;
    let stopped = false;
    try {
      result = parse();
    } catch (e) {
      if (!(e instanceof TooManyProblems)) throw e;
      stopped = true;
    }
    if (this.items.length > 0 || result === undefined) throw this.toError(whatToDo, stopped);
    return result;
  }

  private toError(whatToDo: string, stopped: boolean): PasskeyDeskError {
    const first = this.items[0] ?? { path: '(file)', message: 'could not be read' };
    const more = this.items.length - 1;
    const tail =
      more > 0 ? ` (and ${stopped ? 'at least ' : ''}${more} more problem${more > 1 ? 's' : ''})` : '';
    return new PasskeyDeskError(
      'IMPORT_INVALID',
      `Cannot import "${this.fileName}": ${first.path}: ${first.message}${tail}. Nothing was imported. ${whatToDo}`,
      { file: this.fileName, format: this.format, problems: this.items.slice(0, LISTED) },
    );
  }
}

/** A JSON type name for messages ("a number", "an array"). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true/false';
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON path of a member: `a.b`, or `a["odd key"]` when the key is not an identifier. */
export function member(path: string, key: string): string {
  const part = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  return path === '' ? part.replace(/^\./, '') : `${path}${part}`;
}

export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}
