import { z } from 'zod';
import type { JournalEntry } from '../journal';
import type { AppInfo } from '../app-info';
import type { Inventory, Passkey, TrashEntry } from '../model';
import { channel, credentialIdSchema, noInput, rpIdSchema } from './channel';

/** The house: inventory, the vault, the journal. */
export const coreChannels = {
  'app.info': channel<AppInfo>()(noInput),
  'inventory.get': channel<Inventory>()(z.object({ refresh: z.boolean().optional() }).strict()),
  'vault.create': channel<Passkey>()(
    z
      .object({
        rpId: rpIdSchema,
        userName: z.string().trim().min(1, 'a user name is required').max(256),
        userDisplayName: z.string().max(256).optional(),
      })
      .strict(),
  ),
  'vault.rename': channel<Passkey>()(
    z.object({ credentialId: credentialIdSchema, nickname: z.string().max(120).nullable() }).strict(),
  ),
  'vault.delete': channel<{ passkey: Passkey; journalId: string }>()(
    z.object({ credentialId: credentialIdSchema }).strict(),
  ),
  'vault.restore': channel<Passkey>()(z.object({ credentialId: credentialIdSchema }).strict()),
  'vault.purge': channel<{ passkey: Passkey; journalId: string }>()(
    z
      .object({
        credentialId: credentialIdSchema,
        confirm: z.literal(true, { message: 'purging needs confirm: true' }),
        /**
         * Purge even though a connected account's server still accepts it (or could not be asked): the key is
         * destroyed while the server keeps the credential, and with no other passkey the account is locked out.
         */
        override: z.literal('still-accepted').optional(),
      })
      .strict(),
  ),
  'vault.trash': channel<TrashEntry[]>()(noInput),
  'journal.list': channel<JournalEntry[]>()(
    z.object({ limit: z.number().int().positive().max(10_000).optional() }).strict(),
  ),
  'links.open': channel<void>()(z.object({ url: z.string().url().max(2048) }).strict()),
} as const;
