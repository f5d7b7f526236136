import { z } from 'zod';
import type { DoctorMessage, DoctorRun } from '../doctor';
import { MESSAGE_KEYS } from '../doctor/messages';
import type { Passkey } from '../model';
import type { PlanView } from './accounts';
import { channel, credentialIdSchema, noInput } from './channel';

const accountIdSchema = z.string().min(1, 'an account id is required').max(200);

/** One of the account's passkeys, as the new-device flow lists them for the user to mark as "old device". */
export interface OldPasskey {
  credentialId: string;
  shortId: string;
  /** The name the server keeps for it. */
  name: string | null;
  /** "iCloud Keychain", "Windows Hello", "a security key"… (from the server's AAGUID and transports). */
  madeBy: string;
  createdAt: string | null;
  lastUsedAt: string | null;
  onThisComputer: boolean;
}

export interface NewDeviceAdded {
  /** The new passkey, registered with the account. */
  passkey: Passkey;
  /** True once a sign-in that only the new passkey could answer succeeded. */
  confirmed: boolean;
  /** The account's other passkeys, to mark the ones that belonged to old devices. */
  others: OldPasskey[];
}

export interface NewDeviceRetire {
  /** The plan that revokes them: confirm it with `reconcile.apply` (journal, guards, resume). */
  plan: PlanView;
  /** Passkeys recorded as deleted on their old device (journaled; undo with `guided.unmark`). */
  marked: string[];
  skipped: { credentialId: string; reason: string }[];
}

/**
 * "Can't sign in?": the messages users meet, a troubleshooting run for one account and message, and the new-device
 * flow (add a passkey here first, confirm it signs in, then plan the removal of the old ones).
 */
export const doctorChannels = {
  /** The catalogue: each message key, the wordings users saw, where, and which checks matter. */
  'doctor.messages': channel<readonly DoctorMessage[]>()(noInput),
  /** Runs every check; findings most likely first, plus the redacted support report ("copy report"). Reads only. */
  'doctor.run': channel<DoctorRun>()(
    z.object({ accountId: accountIdSchema.optional(), message: z.enum(MESSAGE_KEYS).optional() }).strict(),
  ),
  /** Creates a passkey here, registers it with the account and proves it signs in. */
  'doctor.newDeviceAdd': channel<NewDeviceAdded>()(
    z.object({ accountId: accountIdSchema, store: z.enum(['vault', 'windows-hello']).optional() }).strict(),
  ),
  /** The account's passkeys, for marking the old devices' ones. */
  'doctor.newDeviceCandidates': channel<OldPasskey[]>()(z.object({ accountId: accountIdSchema }).strict()),
  /** Marks the chosen passkeys as old-device ones and returns the revoke plan to confirm; refuses while no kept passkey here signs in. */
  'doctor.newDeviceRetire': channel<NewDeviceRetire>()(
    z
      .object({ accountId: accountIdSchema, credentialIds: z.array(credentialIdSchema).min(1).max(1000) })
      .strict(),
  ),
} as const;
