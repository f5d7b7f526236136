import type { ErrorInfo } from './errors';
import { toErrorInfo } from './errors';

/** The envelope every IPC call returns: errors cross as data, since Electron passes only `message` of a throw. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = (error: ErrorInfo): Result<never> => ({ ok: false, error });

export async function toResult<T>(fn: () => Promise<T> | T): Promise<Result<T>> {
  try {
    return ok(await fn());
  } catch (e) {
    return err(toErrorInfo(e));
  }
}
