/**
 * Windows Hello from the store's own facts (webauthn.dll API version, user-verifying platform authenticator):
 * whether this PC can create and use passkeys at all, and whether Windows handles the phone QR itself.
 */
import type { Check, DoctorContext, Evidence, Finding } from '../../shared/doctor';
import { finding } from '../../shared/doctor';
import type { StoreInfo } from '../../shared/model';

/** webauthn.dll API 4 (Windows 11 22H2) is where Windows itself offers "iPhone, iPad or Android device". */
const HYBRID_API = 4;
const SIGN_IN_OPTIONS = 'ms-settings:signinoptions';

export function windowsHelloFindings(info: StoreInfo, platform: string): Finding[] {
  const api = typeof info.facts.apiVersion === 'number' ? info.facts.apiVersion : null;
  const uvpa =
    typeof info.facts.userVerifyingPlatformAuthenticator === 'boolean'
      ? info.facts.userVerifyingPlatformAuthenticator
      : null;
  // Not Windows and no stand-in library: nothing to say (the platform check covers it).
  if (platform !== 'win32' && api === null) return [];
  const evidence: Evidence[] = [
    { label: 'webauthn.dll API version', value: api === null ? 'not reported' : String(api) },
    {
      label: 'Windows Hello (user-verifying platform authenticator)',
      value: uvpa === null ? 'not reported' : uvpa ? 'available' : 'not available',
    },
    { label: 'Windows Hello store', value: `${info.status}${info.reason ? ` — ${info.reason}` : ''}` },
  ];
  if (typeof info.facts.providers === 'string')
    evidence.push({ label: 'Passkey providers', value: info.facts.providers });
  const base = { id: 'windows-hello', check: 'windows-hello' as const, evidence };
  if (api === null) {
    return [
      finding({
        ...base,
        verdict: 'problem',
        title: 'Windows Hello could not be reached',
        explanation: `${info.reason ?? 'webauthn.dll did not load.'} Without it this PC cannot create or use Windows Hello passkeys.`,
        likelihood: 0.7,
      }),
    ];
  }
  if (uvpa === false) {
    return [
      finding({
        ...base,
        verdict: 'problem',
        title: 'Windows Hello is not set up on this PC',
        explanation:
          'Windows reports no Windows Hello (PIN, face or fingerprint), so it cannot verify you with a passkey on this PC — the site then says "We couldn\'t use your device to verify your identity". Set up a Windows Hello PIN.',
        fix: {
          kind: 'link',
          label: 'Set up Windows Hello',
          url: SIGN_IN_OPTIONS,
          steps: [
            'Open Settings → Accounts → Sign-in options.',
            'Set up PIN (Windows Hello), then face or fingerprint if you like.',
          ],
        },
        likelihood: 0.8,
      }),
    ];
  }
  if (typeof info.facts.incomplete === 'string') {
    return [
      finding({
        ...base,
        verdict: 'unknown',
        title: 'A passkey provider on this PC is locked',
        explanation: `${info.facts.incomplete} Unlock it and run the checks again.`,
        likelihood: 0.5,
      }),
    ];
  }
  const hybrid = api >= HYBRID_API;
  return [
    finding({
      ...base,
      verdict: 'ok',
      title: 'Windows Hello is set up',
      explanation: `Windows Hello can verify you (API version ${api}).${hybrid ? ' Windows itself offers signing in with a phone by QR code.' : ' This Windows leaves signing in with a phone to the browser.'}`,
      likelihood: 0.7,
    }),
  ];
}

export function windowsHelloCheck(store: { info(): Promise<StoreInfo> } | null): Check<DoctorContext> {
  return {
    id: 'windows-hello',
    title: 'Windows Hello: API version and availability',
    run: async (ctx) => (store ? windowsHelloFindings(await store.info(), ctx.platform) : []),
  };
}
