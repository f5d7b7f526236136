/**
 * The checks that need an account: its passkeys by reconcile status, and which store holds each accepted one.
 * The pure work is in src/shared/doctor; here they become checks, with "pick an account" and "could not read
 * the account" as findings of their own.
 */
import type { Check, DoctorContext, Finding } from '../../shared/doctor';
import { doctorMessage, finding, passkeyStatusFindings, storeReachFindings } from '../../shared/doctor';

function withoutAccount(ctx: DoctorContext, check: 'passkey-status' | 'store-reach'): Finding[] {
  if (ctx.accountError) {
    return [
      finding({
        id: check,
        check,
        verdict: 'unknown',
        title: "The account's passkeys could not be read",
        explanation: `${ctx.accountError.message} Without the server's list, Passkey Desk cannot tell which passkeys the account still accepts.`,
        evidence: [{ label: 'Error', value: ctx.accountError.code }],
        likelihood: 0.6,
      }),
    ];
  }
  // Only say "pick an account" once, and only when the message is one an account explains.
  if (check !== 'passkey-status' || (ctx.message !== null && !doctorMessage(ctx.message).needsAccount))
    return [];
  return [
    finding({
      id: check,
      check,
      verdict: 'unknown',
      title: 'Pick the account to check its passkeys',
      explanation:
        "Stale, duplicate and missing passkeys are found by comparing this computer with the account's server. Connect the account and pick it to include these checks.",
      likelihood: 0.5,
    }),
  ];
}

export function passkeyStatusCheck(): Check<DoctorContext> {
  return {
    id: 'passkey-status',
    title: "The account's passkeys on this computer and on the server",
    run: async (ctx) =>
      ctx.account ? passkeyStatusFindings(ctx.account) : withoutAccount(ctx, 'passkey-status'),
  };
}

export function storeReachCheck(): Check<DoctorContext> {
  return {
    id: 'store-reach',
    title: 'Where each accepted passkey lives, and whether this OS can use it',
    run: async (ctx) => (ctx.account ? storeReachFindings(ctx.account) : withoutAccount(ctx, 'store-reach')),
  };
}
