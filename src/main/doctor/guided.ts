/**
 * Facts no program can read, told as what to check and where (the guided stores' territory): an Android work
 * profile, sync switched off, and an organisation's policy against signing in with a phone. Always `unknown`,
 * with steps; when the account's passkeys point at one ecosystem, its steps come first.
 */
import type { Check, DoctorContext, Ecosystem, Finding } from '../../shared/doctor';
import { ecosystemOf, finding } from '../../shared/doctor';
import { guidedCard } from '../stores/guided';

function ecosystems(ctx: DoctorContext): Set<Ecosystem> {
  return new Set((ctx.account?.account.credentials ?? []).map((c) => ecosystemOf(c).ecosystem));
}

export function androidProfileFinding(): Finding {
  const google = guidedCard('guided:google');
  return finding({
    id: 'android-profile',
    check: 'android-profile',
    verdict: 'unknown',
    title: 'On Android, the passkey may be in the other profile',
    explanation:
      'A phone with a work profile keeps two separate passkey stores. A passkey saved in the personal profile cannot be used by the work profile\'s apps and browser (or the other way round); the site then says "We couldn\'t sign you in". Create the passkey again in the profile you sign in from.',
    evidence: [
      {
        label: 'Where the passkey is',
        value: `${google?.label ?? 'Google Password Manager'} on the phone — not readable from a computer`,
      },
    ],
    fix: {
      kind: 'steps',
      label: 'Check which profile holds the passkey',
      steps: [
        'On the phone, open Settings → Passwords, passkeys & accounts; the Work tab and the Personal tab list separate passkeys.',
        'Sign in from the same profile that holds the passkey (work apps have a briefcase badge).',
        "Or create a new passkey from the work profile's browser or app, then remove the one you no longer need.",
      ],
    },
    likelihood: 0.7,
  });
}

const SYNC_STEPS: Partial<Record<Ecosystem, { name: string; steps: string[] }>> = {
  icloud: {
    name: 'iCloud Keychain',
    steps: [
      'Mac: System Settings → [your name] → iCloud → Passwords (iCloud Keychain) → on.',
      'iPhone or iPad: Settings → [your name] → iCloud → Passwords → "Sync this iPhone" on.',
    ],
  },
  google: {
    name: 'Google Password Manager',
    steps: [
      'Chrome on a computer: Settings → You and Google → Sync and Google services → sync passwords on (signed in to the same Google account).',
      'Android: Settings → Google → Autofill → Google Password Manager, same Google account on both devices.',
    ],
  },
  'windows-hello': {
    name: 'Microsoft AutoFill (Microsoft account)',
    steps: [
      'Windows 11: Settings → Accounts → Passkeys; passkeys saved to the Microsoft account need the same account on both PCs.',
      'Edge: Settings → Profiles → Sync → Passwords on.',
    ],
  },
};

export function syncFinding(ctx: DoctorContext): Finding {
  const seen = ecosystems(ctx);
  const order: Ecosystem[] = ['icloud', 'google', 'windows-hello'];
  const first = order.filter((e) => seen.has(e));
  const all = [...first, ...order.filter((e) => !seen.has(e))];
  const steps = all.flatMap((e) => SYNC_STEPS[e]?.steps ?? []);
  const names = all.map((e) => SYNC_STEPS[e]?.name ?? e);
  return finding({
    id: 'sync',
    check: 'sync',
    verdict: 'unknown',
    title:
      first.length > 0
        ? `Check that ${SYNC_STEPS[first[0]!]?.name ?? first[0]} sync is on`
        : 'Check that passkey sync is on',
    explanation:
      `A passkey reaches your other devices only when sync is on for ${names.join(', ')} and both devices use the same account. ` +
      'With sync off, a new passkey stays on the device that created it — "I created a passkey but can\'t log in" on the other one. Sync never crosses ecosystems (iCloud to Windows, for example).',
    evidence: [
      { label: 'Sync setting', value: 'not readable by other programs' },
      ...(first.length > 0
        ? [
            {
              label: "This account's passkeys come from",
              value: first.map((e) => SYNC_STEPS[e]?.name ?? e).join(', '),
            },
          ]
        : []),
    ],
    fix: { kind: 'steps', label: 'Turn sync on', steps },
    likelihood: first.length > 0 ? 0.6 : 0.4,
  });
}

export function hybridPolicyFinding(ctx: DoctorContext): Finding {
  const windows = ctx.platform === 'win32';
  return finding({
    id: 'hybrid-policy',
    check: 'hybrid-policy',
    verdict: 'unknown',
    title: 'Your organisation may have turned off signing in with a phone',
    explanation:
      'Organisations can block the phone option (hybrid sign-in) through device management or browser policies, and some sites only allow passkeys from approved devices. Programs cannot read every such policy, so this cannot be checked from here.',
    evidence: [
      {
        label: 'Policy',
        value: windows
          ? 'managed through Intune or Group Policy — not readable here'
          : 'managed by the organisation — not readable here',
      },
    ],
    fix: {
      kind: 'steps',
      label: 'Ask your IT admin',
      steps: [
        'Ask whether signing in with a phone (hybrid, QR code) is allowed on managed computers.',
        windows
          ? 'On Windows, Settings → Accounts → Access work or school shows whether the PC is managed.'
          : 'Check whether this computer or browser is managed by an organisation (browsers show "Managed by your organisation" in their menu).',
      ],
    },
    likelihood: 0.4,
  });
}

/** The three guided facts as checks (each reads only the context). */
export function guidedChecks(): Check<DoctorContext>[] {
  return [
    {
      id: 'android-profile',
      title: 'Android work and personal profile',
      run: async () => [androidProfileFinding()],
    },
    {
      id: 'sync',
      title: 'Sync switched on (iCloud Keychain, Google Password Manager, Microsoft AutoFill)',
      run: async (ctx) => [syncFinding(ctx)],
    },
    {
      id: 'hybrid-policy',
      title: 'Organisation policy for signing in with a phone',
      run: async (ctx) => [hybridPolicyFinding(ctx)],
    },
  ];
}
