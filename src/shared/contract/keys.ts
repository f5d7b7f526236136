import { z } from 'zod';
import type { Passkey } from '../model';
import type { SecurityKeyFacts } from '../security-key';
import { channel, credentialIdSchema } from './channel';

/**
 * FIDO2 security keys. The PIN travels only in these requests (a dedicated field, never logged, never stored):
 * main puts it in the operation's context for the one call and drops it. CTAP 2.1 allows 4–63 UTF-8 bytes.
 */
const pinSchema = z.string().min(4, 'a PIN has at least 4 characters').max(63, 'a PIN has at most 63 bytes');
const keyIdSchema = z.string().min(1).max(200);

export const keyChannels = {
  'keys.list': channel<SecurityKeyFacts[]>()(z.object({}).strict()),
  'keys.credentials': channel<{ key: SecurityKeyFacts; passkeys: Passkey[] }>()(
    z.object({ key: keyIdSchema, pin: pinSchema }).strict(),
  ),
  'keys.delete': channel<{ passkey: Passkey; journalId: string }>()(
    z.object({ key: keyIdSchema, credentialId: credentialIdSchema, pin: pinSchema }).strict(),
  ),
  'keys.rename': channel<Passkey>()(
    z
      .object({
        key: keyIdSchema,
        credentialId: credentialIdSchema,
        pin: pinSchema,
        userName: z.string().max(64).optional(),
        userDisplayName: z.string().max(64).optional(),
      })
      .strict()
      .refine((r) => r.userName !== undefined || r.userDisplayName !== undefined, {
        message: 'give a user name, a display name or both',
      }),
  ),
} as const;
