/**
 * Passkey Desk's own requirements: its vault file can be read, the OS keyring answers, the vault's key is in the
 * keyring under the vault's keyId, and (Linux) polkit can verify the user. Read only: the vault file is loaded
 * (never written), the key is looked up (never made), polkit is asked whether it could ask (never asks the user).
 * The detection is the vault's, the keyring module's and the verifier's own; this module turns their answers into
 * findings with the fix.
 */
import type { Check, CheckId, DoctorContext, Evidence, Finding } from '../../shared/doctor';
import { finding } from '../../shared/doctor';
import { isPasskeyDeskError } from '../../shared/errors';
import type { ErrorInfo } from '../../shared/errors';
import type { StoreInfo } from '../../shared/model';
import type { SecretStore } from '../keyring';
import { loadVault } from '../stores/vault/vault-file';
import type { VaultFile } from '../stores/vault/vault-file';
import { POLKIT_ACTION } from '../verify/polkit';
import type { UserVerifier } from '../verify/user-verifier';

export interface DeskChecksOptions {
  /** The vault store: its `info()` reads vault.json (never writing it) and names the file. */
  vault: { info(): Promise<StoreInfo> };
  /** The keyring the vault's key lives in (the one the vault was built with); null leaves the keyring checks out. */
  secrets: SecretStore | null;
  /** The shell's user verifier (polkit on Linux); null leaves the check out. */
  verifier: UserVerifier | null;
  /** The environment the keyring client reads (DBUS_SESSION_BUS_ADDRESS) and PASSKEY_DESK_HOME. */
  env?: NodeJS.ProcessEnv;
}

export type VaultState =
  { kind: 'none' } | { kind: 'ok'; vault: VaultFile } | { kind: 'error'; error: ErrorInfo };

export type KeyState =
  | { kind: 'present' }
  | { kind: 'absent' }
  /** Not asked: the vault could not be read (no keyId), or there is no vault yet. */
  | { kind: 'not-asked' }
  | { kind: 'error'; error: ErrorInfo };

export interface DeskState {
  vault: VaultState;
  key: KeyState;
  keyring: string;
}

const VAULT_FILE = 'vault.json';

/** `vault-key:<keyId>`: the keyring entry holding the key the vault's private keys are sealed with. */
export function vaultKeyAccount(keyId: string): string {
  return `vault-key:${keyId}`;
}

/** The vault file, then the keyring entry for its keyId: one read of each per run, shared by the checks. */
async function readDesk(o: DeskChecksOptions): Promise<DeskState> {
  const keyring = o.secrets?.description ?? 'the OS keyring';
  const vault = await readVault(o.vault);
  if (!o.secrets) return { vault, key: { kind: 'not-asked' }, keyring };
  // With no vault to read the keyId from, the keyring is still asked for one entry, to see that it answers.
  const account = vault.kind === 'ok' ? vaultKeyAccount(vault.vault.keyId) : null;
  try {
    const value = await o.secrets.get(account ?? vaultKeyAccount('passkey-desk-doctor-probe'));
    if (account === null) return { vault, key: { kind: 'not-asked' }, keyring };
    return { vault, key: { kind: value ? 'present' : 'absent' }, keyring };
  } catch (e) {
    return { vault, key: { kind: 'error', error: errorInfo(e) }, keyring };
  }
}

/** The file the store names, read by the vault's own loader (which never changes a file it cannot read). */
async function readVault(store: DeskChecksOptions['vault']): Promise<VaultState> {
  const info = await store.info();
  const path = typeof info.facts.file === 'string' ? info.facts.file : null;
  if (path === null)
    return {
      kind: 'error',
      error: { code: 'INTERNAL', message: info.reason ?? 'The vault store does not name its file.' },
    };
  try {
    const vault = await loadVault(path);
    return vault ? { kind: 'ok', vault } : { kind: 'none' };
  } catch (e) {
    const error = errorInfo(e);
    return { kind: 'error', error: { ...error, message: hidePath(error.message, path) } };
  }
}

function errorInfo(e: unknown): ErrorInfo {
  return isPasskeyDeskError(e)
    ? { code: e.code, message: e.message }
    : { code: 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

/** The report never names the data folder: the file is named by its name, and where it lives is said in words. */
function hidePath(message: string, path: string | null): string {
  return path ? message.split(path).join(VAULT_FILE) : message;
}

/** Where vault.json lives, in words a user can follow on any machine (no folder of this one). */
export function dataFolderWords(platform: string, env: NodeJS.ProcessEnv): string {
  if (env.PASSKEY_DESK_HOME) return 'the folder PASSKEY_DESK_HOME names';
  if (platform === 'darwin') return '~/Library/Application Support/Passkey Desk';
  if (platform === 'win32') return '%APPDATA%\\Passkey Desk';
  return env.XDG_CONFIG_HOME ? '$XDG_CONFIG_HOME/Passkey Desk' : '~/.config/Passkey Desk';
}

export function vaultFileFindings(state: DeskState, platform: string, env: NodeJS.ProcessEnv): Finding[] {
  const base = { id: 'vault-file', check: 'vault-file' as const };
  const where = `${VAULT_FILE} in Passkey Desk's data folder (${dataFolderWords(platform, env)})`;
  const v = state.vault;
  if (v.kind === 'none')
    return [
      finding({
        ...base,
        verdict: 'ok',
        title: 'No vault yet',
        explanation: `There is no ${VAULT_FILE} yet: Passkey Desk makes it with the first passkey created in the vault.`,
        evidence: [{ label: 'Vault file', value: 'none yet' }],
        likelihood: 0.9,
      }),
    ];
  if (v.kind === 'ok') {
    const trashed = v.vault.passkeys.filter((p) => p.trashedAt).length;
    return [
      finding({
        ...base,
        verdict: 'ok',
        title: 'The vault file can be read',
        explanation: `${where} is intact and in a format this Passkey Desk reads.`,
        evidence: [
          {
            label: 'Vault file',
            value: `${v.vault.passkeys.length - trashed} passkey(s), ${trashed} in the trash`,
          },
        ],
        likelihood: 0.9,
      }),
    ];
  }
  const tooNew = v.error.code === 'DATA_TOO_NEW';
  const denied = /\b(EACCES|EPERM)\b/.test(v.error.message);
  const steps = tooNew
    ? [
        'Update Passkey Desk to the version that wrote this vault (or a later one); it reads the file as it is.',
        `Until then, leave ${VAULT_FILE} as it is: an older version must not rewrite it.`,
      ]
    : denied
      ? [
          platform === 'win32'
            ? `Give your own user read and write access to ${where}: in Explorer, the file's Properties → Security → Edit, allow Full control for your user (take ownership under Advanced if another user owns it).`
            : `Give your own user read and write access to ${where}: in that folder, run \`chmod u+rw ${VAULT_FILE}\` (and \`sudo chown "$USER" ${VAULT_FILE}\` if another user owns it).`,
        ]
      : [
          `Put back a good copy of ${VAULT_FILE} from your backup into Passkey Desk's data folder (${dataFolderWords(platform, env)}), replacing the damaged one.`,
          `With no backup: rename the damaged file (for example to ${VAULT_FILE}.damaged) so Passkey Desk starts a new, empty vault, then add a new passkey to each account ("I got a new device"). Keep the renamed file: it can still be repaired.`,
        ];
  return [
    finding({
      ...base,
      verdict: 'problem',
      title: tooNew
        ? 'The vault file was written by a newer Passkey Desk'
        : denied
          ? 'The vault file cannot be read'
          : 'The vault file is damaged',
      explanation: `${v.error.message} Until this is fixed, no passkey in the Passkey Desk vault can be listed, used or created.`,
      evidence: [
        { label: 'Vault file', value: where },
        { label: 'Error', value: v.error.code },
      ],
      fix: {
        kind: 'steps',
        label: tooNew ? 'Update Passkey Desk' : denied ? 'Give your user access to it' : 'Restore vault.json',
        steps,
      },
      likelihood: 0.95,
    }),
  ];
}

/** The README's recipe for a shell without a session bus (Debian: `dbus-daemon`, `gnome-keyring`). */
const KEYRING_FOR_ONE_SHELL = [
  'Run Passkey Desk in your desktop session, which provides a session bus and an unlocked keyring.',
  'Or, in a shell without one: `read -rs KEYRING_PASSWORD && export KEYRING_PASSWORD`, then `dbus-run-session -- bash -c \'printf "%s" "$KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec bash\'` (packages dbus-daemon and gnome-keyring), and run Passkey Desk in that shell.',
];

export function keyringFindings(state: DeskState, platform: string, env: NodeJS.ProcessEnv): Finding[] {
  const base = { id: 'keyring', check: 'keyring' as const };
  const evidence: Evidence[] = [{ label: 'Keyring', value: state.keyring }];
  if (platform === 'linux')
    evidence.push({
      label: 'D-Bus session bus',
      value: env.DBUS_SESSION_BUS_ADDRESS
        ? 'DBUS_SESSION_BUS_ADDRESS is set'
        : 'none (DBUS_SESSION_BUS_ADDRESS is not set)',
    });
  const k = state.key;
  if (k.kind !== 'error')
    return [
      finding({
        ...base,
        verdict: 'ok',
        title: 'The keyring answers',
        explanation: `Passkey Desk can read its entries in the ${state.keyring}: the vault key and the accounts' sign-in sessions.`,
        evidence,
        likelihood: 0.9,
      }),
    ];
  evidence.push({ label: 'Error', value: k.error.code });
  const locked = k.error.code === 'KEYRING_LOCKED';
  const steps = locked
    ? platform === 'linux'
      ? [
          'Unlock the "Login" keyring: log in to the desktop, or open Passwords and Keys (seahorse) and unlock it.',
          'In a shell started with dbus-run-session, start gnome-keyring-daemon with the same password the keyring was made with.',
        ]
      : [`Unlock the ${state.keyring} (log in again if it stays locked).`]
    : platform === 'linux'
      ? env.DBUS_SESSION_BUS_ADDRESS
        ? [
            'Start a keyring daemon in this session: `gnome-keyring-daemon --start --components=secrets` (or KWallet or KeePassXC with its Secret Service integration on).',
            'If DBUS_SESSION_BUS_ADDRESS is left over from a session that has ended, `unset DBUS_SESSION_BUS_ADDRESS` and use the recipe below.',
            ...KEYRING_FOR_ONE_SHELL,
          ]
        : KEYRING_FOR_ONE_SHELL
      : [`Check that the ${state.keyring} is running and unlocked, then try again.`];
  return [
    finding({
      ...base,
      verdict: 'problem',
      title: locked ? 'The keyring is locked' : 'The keyring cannot be reached',
      explanation: `${k.error.message} Passkey Desk keeps the vault key and the accounts' sign-in sessions there: without it, no vault passkey can be used or created and no account can be signed in.`,
      evidence,
      fix: { kind: 'steps', label: locked ? 'Unlock the keyring' : 'Start a keyring', steps },
      likelihood: 0.95,
    }),
  ];
}

export function vaultKeyFindings(state: DeskState): Finding[] {
  const base = { id: 'vault-key', check: 'vault-key' as const };
  const v = state.vault;
  const k = state.key;
  if (v.kind !== 'ok') {
    // No vault yet: its key is made with its first passkey. A vault that cannot be read names no key to look for.
    if (v.kind === 'none') return [];
    return [
      finding({
        ...base,
        verdict: 'unknown',
        title: 'The vault key could not be looked up',
        explanation: `The vault file names the keyring entry of its key, and it cannot be read (see the vault file finding), so whether the key is in the keyring is not known.`,
        likelihood: 0.3,
      }),
    ];
  }
  const account = vaultKeyAccount(v.vault.keyId);
  const evidence: Evidence[] = [
    { label: 'Keyring entry', value: `service "Passkey Desk", account "${account}"` },
    { label: 'Passkeys sealed with it', value: String(v.vault.passkeys.length) },
  ];
  if (k.kind === 'error' || k.kind === 'not-asked')
    return [
      finding({
        ...base,
        verdict: 'unknown',
        title: 'The vault key could not be looked up',
        explanation: `The keyring did not answer (see the keyring finding), so whether it holds "${account}" is not known.`,
        evidence,
        likelihood: 0.3,
      }),
    ];
  if (k.kind === 'present')
    return [
      finding({
        ...base,
        verdict: 'ok',
        title: 'The vault key is in the keyring',
        explanation: `The ${state.keyring} holds "${account}", the key the vault's passkeys are sealed with.`,
        evidence,
        likelihood: 0.9,
      }),
    ];
  if (v.vault.passkeys.length === 0)
    return [
      finding({
        ...base,
        verdict: 'ok',
        title: 'The vault key will be made with the first passkey',
        explanation: `The ${state.keyring} has no "${account}" yet, and the vault holds no passkey sealed with it: Passkey Desk makes the key when it creates the next passkey.`,
        evidence,
        likelihood: 0.9,
      }),
    ];
  return [
    finding({
      ...base,
      verdict: 'problem',
      title: 'The vault key is missing from the keyring',
      explanation:
        `${VAULT_FILE} names its key "${account}", and the ${state.keyring} has no such entry, so the ${v.vault.passkeys.length} passkey(s) in the vault cannot be used: signing in and creating passkeys fail with KEY_MISSING. ` +
        'This happens when vault.json was copied or restored from another computer or user without its keyring, when the keyring was reset, or when the keyId in vault.json was changed. Passkey Desk never makes a new key for a vault that has passkeys, and left the file untouched.',
      evidence,
      fix: {
        kind: 'steps',
        label: 'Put the vault key back in the keyring',
        steps: [
          `If the keyId in ${VAULT_FILE} was edited, put back the one it had: the keyring lists Passkey Desk's vault keys as service "Passkey Desk", accounts "vault-key:…" (Passwords and Keys / seahorse on Linux, Keychain Access on macOS, Credential Manager on Windows).`,
          `If ${VAULT_FILE} came from another computer or user: restore that keyring (its backup, or the login keyring file) here, or move the passkeys with an export instead of copying ${VAULT_FILE}.`,
          `If the key is lost for good, the passkeys in this vault cannot be recovered: rename ${VAULT_FILE} (keep it), then add a new passkey to each account ("I got a new device").`,
        ],
      },
      likelihood: 0.95,
    }),
  ];
}

const POLKIT_STEPS = [
  'Check that polkit runs: `systemctl status polkit` (start it with `sudo systemctl start polkit`; install it if it is missing — the polkitd package on Debian and Ubuntu).',
  `Install Passkey Desk's polkit action once (the .deb does this): from the source checkout, \`sudo cp build/linux/app.passkeydesk.policy /usr/share/polkit-1/actions/\`.`,
  "Use Passkey Desk from a local desktop session: polkit asks for your password through the session's authentication agent, and refuses over SSH.",
];

export async function userVerificationFindings(
  verifier: UserVerifier | null,
  platform: string,
): Promise<Finding[]> {
  // macOS (Touch ID) and Windows (Windows Hello) have checks of their own.
  if (platform !== 'linux' || !verifier) return [];
  const base = { id: 'user-verification', check: 'user-verification' as const };
  const polkit = verifier.name === 'polkit';
  const evidence: Evidence[] = [
    {
      label: 'User verification',
      value: polkit ? `polkit (pkcheck, action ${POLKIT_ACTION})` : verifier.name,
    },
  ];
  const { ok, reason } = await verifier.available();
  if (ok)
    return [
      finding({
        ...base,
        verdict: 'ok',
        title: polkit ? 'polkit can verify you' : 'User verification is available',
        explanation: polkit
          ? `polkit answers for the action ${POLKIT_ACTION}: before a vault passkey is used, it asks for your password through the desktop's authentication agent.`
          : 'Passkey Desk can verify you before it uses a vault passkey.',
        evidence,
        likelihood: 0.9,
      }),
    ];
  return [
    finding({
      ...base,
      verdict: 'problem',
      title: polkit ? 'polkit cannot verify you' : 'User verification is not available',
      explanation: `${reason ?? 'The verifier is not available.'} Without it Passkey Desk refuses to create or use vault passkeys (USER_VERIFICATION_UNAVAILABLE): it never skips verifying you.`,
      evidence,
      fix: polkit ? { kind: 'steps', label: 'Make polkit available', steps: POLKIT_STEPS } : null,
      likelihood: 0.9,
    }),
  ];
}

/**
 * The four checks, sharing one read of the vault file and one keyring lookup per run (the runner hands every
 * check the same context object). The keyring checks are left out when no keyring is given.
 */
export function deskChecks(o: DeskChecksOptions): Check<DoctorContext>[] {
  const env = o.env ?? process.env;
  const runs = new WeakMap<DoctorContext, Promise<DeskState>>();
  const state = (ctx: DoctorContext): Promise<DeskState> => {
    let s = runs.get(ctx);
    if (!s) {
      s = readDesk(o);
      runs.set(ctx, s);
    }
    return s;
  };
  const check = (
    id: CheckId,
    title: string,
    findings: (s: DeskState, ctx: DoctorContext) => Finding[],
  ): Check<DoctorContext> => ({ id, title, run: async (ctx) => findings(await state(ctx), ctx) });
  const checks = [
    check('vault-file', "Passkey Desk's vault file (vault.json) can be read", (s, ctx) =>
      vaultFileFindings(s, ctx.platform, env),
    ),
  ];
  if (o.secrets)
    checks.push(
      check('keyring', 'The OS keyring answers', (s, ctx) => keyringFindings(s, ctx.platform, env)),
      check('vault-key', "The vault's key is in the keyring", (s) => vaultKeyFindings(s)),
    );
  if (o.verifier) {
    const verifier = o.verifier;
    checks.push({
      id: 'user-verification',
      title: 'User verification for the vault (polkit on Linux)',
      run: (ctx) => userVerificationFindings(verifier, ctx.platform),
    });
  }
  return checks;
}
