/**
 * Runtime validation of every request body (zod). Bounds are generous for real authenticators and small enough
 * that a hostile body cannot make the server do much work. Failures become 400 INVALID_INPUT naming the field.
 */
import { z } from 'zod';
import { badInput } from './api-error';

const b64url = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9_-]*={0,2}$/, 'must be base64url');

/** A name people type: trimmed, 1-64 characters, no control characters. */
const personName = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

export const usernameSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}._@+-]+$/u, 'may contain letters, digits and . _ @ + - only');

export const registrationOptionsBody = z.strictObject({
  username: usernameSchema.optional(),
  displayName: personName(64).optional(),
});

const extensionResults = z.record(z.string(), z.unknown()).optional();

export const registrationResponseSchema = z.looseObject({
  id: b64url(1400).min(1),
  rawId: b64url(1400).min(1),
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: b64url(4096),
    attestationObject: b64url(16384),
    transports: z.array(z.string().max(32)).max(10).optional(),
  }),
  clientExtensionResults: extensionResults,
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).nullable().optional(),
});

export const registrationVerifyBody = z.strictObject({
  response: registrationResponseSchema,
  /** A name for the new passkey; defaults to the provider's name. */
  name: personName(64).optional(),
});

export const authenticationOptionsBody = z.strictObject({
  username: usernameSchema.optional(),
});

export const authenticationResponseSchema = z.looseObject({
  id: b64url(1400).min(1),
  rawId: b64url(1400).min(1),
  type: z.literal('public-key'),
  response: z.looseObject({
    clientDataJSON: b64url(4096),
    authenticatorData: b64url(2048),
    signature: b64url(1024),
    userHandle: b64url(128).nullable().optional(),
  }),
  clientExtensionResults: extensionResults,
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).nullable().optional(),
});

export const authenticationVerifyBody = z.strictObject({ response: authenticationResponseSchema });

export const renameBody = z.strictObject({ name: personName(64) });

/** Sign-out's and sign-out-others' `{}`, and a revoke's body, if it sends one: nothing may be in it. */
export const emptyBody = z.strictObject({});

export const credentialIdParam = z.strictObject({ id: b64url(1400).min(1) });

export const desktopAuthorizeQuery = z.looseObject({
  response_type: z.literal('code'),
  redirect_uri: z.string().max(512),
  code_challenge: z
    .string()
    .regex(/^[A-Za-z0-9_-]{43}$/, 'must be the 43-character base64url SHA-256 of the verifier'),
  code_challenge_method: z.literal('S256'),
  state: z.string().min(1).max(512),
});

export const desktopApproveBody = z.strictObject({ request: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/) });

export const desktopTokenBody = z.strictObject({
  grant_type: z.literal('authorization_code'),
  code: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/),
  redirect_uri: z.string().max(512),
  // RFC 7636 §4.1: 43-128 characters of [A-Z a-z 0-9 - . _ ~].
  code_verifier: z.string().regex(/^[A-Za-z0-9._~-]{43,128}$/),
  client_id: z.string().max(128).optional(),
});

export function parse<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues
    .slice(0, 5)
    .map((i) => `${[where, ...i.path.map(String)].join('.')}: ${i.message}`);
  throw badInput(`invalid ${where}: ${issues.join('; ')}`);
}
