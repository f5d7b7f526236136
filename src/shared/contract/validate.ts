import { PasskeyDeskError } from '../errors';
import { CONTRACT } from './index';
import type { ChannelName, ParsedRequestOf } from './index';

/** Validates a request against its channel's schema; the error names the field and what was expected. */
export function parseRequest<C extends ChannelName>(name: C, payload: unknown): ParsedRequestOf<C> {
  const result = CONTRACT[name].request.safeParse(payload ?? {});
  if (result.success) return result.data as ParsedRequestOf<C>;
  const problems = result.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || 'request'}: ${i.message}`);
  throw new PasskeyDeskError('INVALID_INPUT', `Invalid ${name} request — ${problems.join('; ')}.`, {
    problems,
  });
}
