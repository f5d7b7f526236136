import { z } from 'zod';
import type { DoctorMessage, DoctorRun } from '../doctor';
import { MESSAGE_KEYS } from '../doctor/messages';
import { channel, noInput } from './channel';

const accountIdSchema = z.string().min(1, 'an account id is required').max(200);

/** "Can't sign in?": the messages users meet, and a troubleshooting run for one account and message. */
export const doctorChannels = {
  /** The catalogue: each message key, the wordings users saw, where, and which checks matter. */
  'doctor.messages': channel<readonly DoctorMessage[]>()(noInput),
  /** Runs every check; findings most likely first, plus the redacted support report ("copy report"). Reads only. */
  'doctor.run': channel<DoctorRun>()(z.object({ accountId: accountIdSchema.optional(), message: z.enum(MESSAGE_KEYS).optional() }).strict()),
} as const;
