import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { PasskeyDeskError } from '../../src/shared/errors';
import type { ErrorCode } from '../../src/shared/errors';
import { parseImport } from '../../src/shared/imports/parse';
import type { ParsedImport } from '../../src/shared/imports/types';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'imports');

export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, name)));
}

export function fixtureJson(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as Record<string, unknown>;
}

export function parseFixture(name: string): ParsedImport {
  return parseImport(fixtureBytes(name), { fileName: name, storeId: 'export:test' });
}

/** Runs `fn`, expects a PasskeyDeskError with `code`, and returns it for further checks. */
export function expectImportError(fn: () => unknown, code: ErrorCode): PasskeyDeskError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(PasskeyDeskError);
    const err = e as PasskeyDeskError;
    expect(err.code, err.message).toBe(code);
    return err;
  }
  throw new Error(`expected ${code}, but nothing was thrown`);
}

export function problems(err: PasskeyDeskError): { path: string; message: string }[] {
  return (err.details?.problems as { path: string; message: string }[] | undefined) ?? [];
}
