import { execFile } from 'node:child_process';
import { PasskeyDeskError } from '../../shared/errors';
import type { UserVerifier } from './user-verifier';

/** The polkit action Passkey Desk ships (build/linux/app.passkeydesk.policy): `auth_self` for active sessions. */
export const POLKIT_ACTION = 'app.passkeydesk.verify-user';

/**
 * Linux user verification through polkit: the session's authentication agent asks for the user's own password
 * (or fingerprint, where PAM is set up so). `pkcheck(1)` exit codes: 0 authorized, 1 not authorized,
 * 2 no agent / interaction not allowed, 3 dismissed, 127 error.
 */
export function createPolkitVerifier(
  options: { pkcheck?: string; env?: NodeJS.ProcessEnv; pid?: number } = {},
): UserVerifier {
  const pkcheck = options.pkcheck ?? 'pkcheck';
  const pid = options.pid ?? process.pid;
  const run = (args: string[]) =>
    new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        pkcheck,
        args,
        { env: options.env ?? process.env, timeout: 120_000 },
        (error, _stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 127) : 0;
          resolve({ code, stderr: String(stderr).trim() });
        },
      );
    });
  return {
    name: 'polkit',
    async available() {
      const { code, stderr } = await run(['--action-id', POLKIT_ACTION, '--process', String(pid)]);
      if (code === 0 || code === 1 || code === 2) return { ok: true, reason: null };
      return { ok: false, reason: unavailableReason(stderr) };
    },
    async verify(reason) {
      const { code, stderr } = await run([
        '--action-id',
        POLKIT_ACTION,
        '--process',
        String(pid),
        '--allow-user-interaction',
        '--detail',
        'reason',
        reason,
      ]);
      switch (code) {
        case 0:
          return;
        case 1:
          throw new PasskeyDeskError(
            'USER_VERIFICATION_FAILED',
            'polkit did not authorize the user: the password (or fingerprint) was not accepted, or this session may not verify users (the action allows local desktop sessions only, not SSH). Try again in your desktop session.',
          );
        case 2:
          throw new PasskeyDeskError(
            'USER_VERIFICATION_UNAVAILABLE',
            'No polkit authentication agent is running in this session, so Passkey Desk cannot ask for your password. Run it from your desktop session, which runs one.',
          );
        case 3:
          throw new PasskeyDeskError('USER_CANCELLED', 'The verification dialog was dismissed.');
        default:
          throw new PasskeyDeskError('USER_VERIFICATION_UNAVAILABLE', unavailableReason(stderr));
      }
    },
  };
}

function unavailableReason(stderr: string): string {
  return (
    `polkit could not check the user (${stderr || 'pkcheck failed'}). Make sure polkit is running and that the ` +
    `action ${POLKIT_ACTION} is installed: the Passkey Desk package installs it in /usr/share/polkit-1/actions; from a source checkout, copy build/linux/app.passkeydesk.policy there (as root).`
  );
}
