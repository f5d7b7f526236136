import { z } from 'zod';
import type { Passkey } from '../model';
import { channel, credentialIdSchema, rpIdSchema } from './channel';

const storeIdSchema = z.string().min(1).max(200);
const pathSchema = z.string().min(1, 'a file path is required').max(4096);

export interface ImportSummary {
  storeId: string;
  label: string;
  format: string;
  fileName: string;
  count: number;
  alreadyImported: boolean;
  /** Passkeys whose private key the vault can take (ES256). */
  movable: string[];
  /** Passkeys that cannot move, with the reason (EdDSA/RSA, no user handle…). */
  notMovable: { credentialId: string; reason: string }[];
  passkeys: Passkey[];
}

export type MoveOutcome =
  | { credentialId: string; ok: true; passkey: Passkey }
  | { credentialId: string; ok: false; code: string; message: string };

export interface GuidedCardView {
  id: string;
  label: string;
  what: string;
  why: string;
  sections: {
    platform: string;
    where: string;
    steps: string[];
    link: string | null;
    linkNote: string | null;
  }[];
}

export interface DeletionMarkView {
  id: string;
  store: string;
  rpId: string;
  credentialId: string | null;
  userHandle: string | null;
  markedAt: string;
}

/** Stores beyond the vault: deleting from any store, imported exports, and the guided (unreadable) stores. */
export const storeChannels = {
  'stores.deletePasskey': channel<{ passkey: Passkey; journalId: string }>()(
    z
      .object({
        store: storeIdSchema,
        credentialId: credentialIdSchema,
        pin: z.string().min(4).max(63).optional(),
      })
      .strict(),
  ),
  /** Opens the OS file dialog (Electron) and returns the chosen path; null when cancelled. */
  'imports.pickFile': channel<{ path: string } | null>()(z.object({}).strict()),
  'imports.add': channel<{ summary: ImportSummary; moved: MoveOutcome[] }>()(
    z.object({ path: pathSchema, moveToVault: z.array(credentialIdSchema).max(10_000).optional() }).strict(),
  ),
  'imports.moveToVault': channel<MoveOutcome[]>()(
    z
      .object({ storeId: storeIdSchema, credentialIds: z.array(credentialIdSchema).min(1).max(10_000) })
      .strict(),
  ),
  'imports.remove': channel<{ storeId: string }>()(z.object({ storeId: storeIdSchema }).strict()),
  'guided.cards': channel<GuidedCardView[]>()(z.object({}).strict()),
  'guided.marks': channel<DeletionMarkView[]>()(z.object({}).strict()),
  'guided.mark': channel<DeletionMarkView>()(
    z
      .object({
        store: z.string().regex(/^guided:[a-z0-9-]+$/, 'a guided store id such as guided:apple'),
        rpId: rpIdSchema,
        credentialId: credentialIdSchema.nullable().optional(),
        userHandle: z.string().max(200).nullable().optional(),
      })
      .strict(),
  ),
  'guided.unmark': channel<DeletionMarkView>()(z.object({ id: z.string().uuid() }).strict()),
} as const;
