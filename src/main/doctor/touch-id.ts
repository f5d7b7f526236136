/**
 * Touch ID on macOS, from the user verifier the shell provides (the Electron app has Touch ID; the command-line
 * tool does not, and then says how to check by hand).
 */
import type { Check, DoctorContext, Finding } from '../../shared/doctor';
import { finding } from '../../shared/doctor';
import type { UserVerifier } from '../verify/user-verifier';

const HOW_TO_CHECK = [
  'Open System Settings → Touch ID & Password.',
  'Check that at least one fingerprint is added and "Use Touch ID for … autofilling passwords" is on.',
];

export async function touchIdFindings(verifier: UserVerifier | null, platform: string): Promise<Finding[]> {
  if (platform !== 'darwin') return [];
  const base = { id: 'touch-id', check: 'touch-id' as const };
  if (!verifier || verifier.name !== 'touch-id') {
    return [
      finding({
        ...base,
        verdict: 'unknown',
        title: 'Touch ID could not be checked from here',
        explanation:
          "Only the Passkey Desk app can ask macOS about Touch ID. Without Touch ID, macOS asks for the Mac's password when you use a passkey — that still works.",
        evidence: [{ label: 'User verification', value: verifier?.name ?? 'none' }],
        fix: { kind: 'steps', label: 'Check Touch ID by hand', steps: HOW_TO_CHECK },
        likelihood: 0.4,
      }),
    ];
  }
  const { ok, reason } = await verifier.available();
  return [
    finding({
      ...base,
      verdict: ok ? 'ok' : 'problem',
      title: ok ? 'Touch ID is available' : 'Touch ID is not available',
      explanation: ok
        ? 'macOS can verify you with Touch ID.'
        : `${reason ?? 'macOS reports no Touch ID.'} macOS falls back to the Mac's password for passkeys; some sites then ask to "sign in another way".`,
      evidence: [{ label: 'Touch ID', value: ok ? 'available' : 'not available' }],
      fix: ok ? null : { kind: 'steps', label: 'Set up Touch ID', steps: HOW_TO_CHECK },
      likelihood: ok ? 0.5 : 0.6,
    }),
  ];
}

export function touchIdCheck(verifier: UserVerifier | null): Check<DoctorContext> {
  return { id: 'touch-id', title: 'Touch ID (macOS)', run: (ctx) => touchIdFindings(verifier, ctx.platform) };
}
