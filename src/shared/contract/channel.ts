import { z } from 'zod';

/**
 * One IPC channel: a runtime schema for its request (checked in main before any work) and, as a phantom type,
 * its response. The channel's name is its key in the contract map; it is never written anywhere else.
 */
export interface Channel<Req extends z.ZodType, Res> {
  readonly request: Req;
  /** Type-only: never read at run time. */
  readonly response?: Res;
}

export function channel<Res>() {
  return <Req extends z.ZodType>(request: Req): Channel<Req, Res> => ({ request });
}

export const noInput = z.object({}).strict();

export const credentialIdSchema = z
  .string()
  .min(1, 'a credential ID is required')
  .max(1400)
  .regex(/^[A-Za-z0-9_\-+/]+=*$/, 'a credential ID is base64url');

export const rpIdSchema = z
  .string()
  .min(1, 'an RP ID is required')
  .max(253)
  .regex(/^[a-z0-9.-]+$/, 'an RP ID is a lowercase domain name such as example.com');
