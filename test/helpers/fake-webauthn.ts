/**
 * The C stand-in of webauthn.dll (test/windows-hello/fake-*.c) for any test that wants Windows Hello passkeys:
 *
 *   const libraryPath = await buildFakeWebauthn();
 *   const scenario = writeFakeWebauthnScenario({ apiVersion: 9, credentials: [{ rpId: 'example.com', … }] });
 *   // in process: process.env.FAKE_WEBAUTHN_SCENARIO = scenario; createWindowsHelloStore({ libraryPath })
 *   // a CLI child: env { PASSKEY_DESK_WEBAUTHN_LIBRARY: libraryPath, FAKE_WEBAUTHN_SCENARIO: scenario }
 *
 * The scenario file is the stand-in's whole state: it is re-read on every call and rewritten after a delete or a
 * new credential, so a second process sees the first one's changes.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import koffi from 'koffi';

const SOURCE_DIR = fileURLToPath(new URL('../windows-hello/', import.meta.url));
const SOURCES = ['fake-webauthn.c', 'fake-scenario.c', 'fake-ceremonies.c', 'fake-sha256.c'];
const HEADER = 'fake-webauthn.h';

export interface BuildOptions {
  /** Build the variant without WebAuthNGetApiVersionNumber, like the first Windows 10 DLLs. */
  withoutApiVersionExport?: boolean;
}

const builds = new Map<string, Promise<string>>();

/** Compiles the stand-in with gcc (once per source version; cached in the temp folder) and returns the .so path. */
export function buildFakeWebauthn(options: BuildOptions = {}): Promise<string> {
  const flags = ['-std=c11', '-O1', '-Wall', '-Wextra', '-Werror', '-fvisibility=hidden', '-shared', '-fPIC'];
  if (options.withoutApiVersionExport) flags.push('-DFAKE_NO_API_VERSION_EXPORT');
  const hash = createHash('sha256');
  for (const f of [HEADER, ...SOURCES]) hash.update(readFileSync(join(SOURCE_DIR, f)));
  hash.update(flags.join(' '));
  const key = hash.digest('hex').slice(0, 16);
  let build = builds.get(key);
  if (!build) {
    build = compile(key, flags);
    builds.set(key, build);
  }
  return build;
}

async function compile(key: string, flags: string[]): Promise<string> {
  const dir = join(tmpdir(), `passkey-desk-fake-webauthn-${key}`);
  const target = join(dir, 'libfakewebauthn.so');
  if (existsSync(target)) return target;
  mkdirSync(dir, { recursive: true });
  const partial = `${target}.${process.pid}.tmp`;
  try {
    await promisify(execFile)('gcc', [...flags, '-o', partial, ...SOURCES.map((s) => join(SOURCE_DIR, s))]);
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr ?? String(e);
    throw new Error(
      `Compiling the webauthn.dll stand-in failed (gcc is needed: apt-get install -y gcc):\n${stderr}`,
      { cause: e },
    );
  }
  renameSync(partial, target); // atomic: parallel test files never load a half-written library
  return target;
}

export interface FakeCredential {
  /** CREDENTIAL_DETAILS dwVersion the stand-in reports for this entry (1–4; 0 or 5+ to test robustness). */
  version?: number;
  credentialId: Uint8Array;
  rpId: string;
  rpName?: string | null;
  userId?: Uint8Array | null;
  userName?: string | null;
  userDisplayName?: string | null;
  removable?: boolean;
  backedUp?: boolean;
  authenticatorName?: string | null;
  logo?: Uint8Array | null;
  thirdPartyPayment?: boolean;
  /** WEBAUTHN_CTAP_TRANSPORT_* flags. */
  transports?: number;
}

export interface FakeAuthenticator {
  id: Uint8Array;
  name: string;
  logo?: Uint8Array | null;
  locked?: boolean;
}

export interface FakeScenario {
  apiVersion?: number;
  /** WebAuthNIsUserVerifyingPlatformAuthenticatorAvailable's answer. */
  userVerifyingPlatformAuthenticator?: boolean;
  /** Whether assertions and attestations report that the user was verified (the UV flag). */
  userVerified?: boolean;
  /** Export name → HRESULT it returns, e.g. { WebAuthNAuthenticatorGetAssertion: 0x80090036 }. */
  failures?: Record<string, number>;
  credentials?: FakeCredential[];
  authenticators?: FakeAuthenticator[];
}

const hex = (b: Uint8Array | null | undefined): string =>
  b === null || b === undefined ? '-' : b.length === 0 ? '.' : Buffer.from(b).toString('hex');
const hex16 = (s: string | null | undefined): string =>
  s === null || s === undefined ? '-' : s.length === 0 ? '.' : Buffer.from(s, 'utf16le').toString('hex');
const flag = (v: boolean | undefined, dflt: boolean): string => ((v ?? dflt) ? '1' : '0');

/** The scenario in the stand-in's line format (documented at the top of fake-scenario.c). */
export function scenarioText(s: FakeScenario): string {
  const lines = [
    `api ${s.apiVersion ?? 9}`,
    `uvpa ${flag(s.userVerifyingPlatformAuthenticator, true)}`,
    `uvflag ${flag(s.userVerified, true)}`,
  ];
  for (const [name, hr] of Object.entries(s.failures ?? {}))
    lines.push(`fail ${name} 0x${(hr >>> 0).toString(16)}`);
  for (const a of s.authenticators ?? [])
    lines.push(`auth ${hex(a.id)} ${hex16(a.name)} ${hex(a.logo)} ${flag(a.locked, false)}`);
  for (const c of s.credentials ?? []) {
    lines.push(
      [
        'cred',
        c.version ?? 4,
        hex(c.credentialId),
        hex16(c.rpId),
        hex16(c.rpName),
        hex(c.userId),
        hex16(c.userName),
        hex16(c.userDisplayName),
        flag(c.removable, true),
        flag(c.backedUp, false),
        hex16(c.authenticatorName),
        hex(c.logo),
        flag(c.thirdPartyPayment, false),
        c.transports ?? 0x10,
      ].join(' '),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Writes a scenario file (to `path`, or a new temp file) and returns its path. */
export function writeFakeWebauthnScenario(scenario: FakeScenario, path?: string): string {
  const target = path ?? join(mkdtempSync(join(tmpdir(), 'pkd-webauthn-')), 'scenario.txt');
  writeFileSync(target, scenarioText(scenario));
  return target;
}

export interface FakeStats {
  credListAllocs: number;
  credListFrees: number;
  authListAllocs: number;
  authListFrees: number;
  assertionAllocs: number;
  assertionFrees: number;
  attestationAllocs: number;
  attestationFrees: number;
  badFrees: number;
  gateViolations: number;
}

export interface FakeWebauthnControl {
  /** Points this process's stand-in at a scenario file (overrides FAKE_WEBAUTHN_SCENARIO); null reverts to the env var. */
  useScenario(path: string | null): void;
  /** Allocation and free counts since the last reset. */
  stats(): FakeStats;
  /** One line per call the stand-in received. */
  trace(): string[];
  reset(): void;
}

/**
 * Control of the stand-in loaded in *this* process. koffi.load of the same path shares one dlopen handle, so this
 * is the instance the binding under test is using.
 */
export function fakeWebauthnControl(libraryPath: string): FakeWebauthnControl {
  const lib = koffi.load(libraryPath);
  const setPath = lib.func('FakeWebAuthn_SetScenarioPath', 'void', ['str']);
  const stats = lib.func('FakeWebAuthn_Stats', 'str', []);
  const trace = lib.func('FakeWebAuthn_Trace', 'str', []);
  const reset = lib.func('FakeWebAuthn_Reset', 'void', []);
  return {
    useScenario: (path) => void setPath(path ?? ''),
    stats: () => {
      const text = String(stats() as string);
      return Object.fromEntries(
        text.split(' ').map((kv): [string, number] => [kv.split('=')[0] ?? '', Number(kv.split('=')[1])]),
      ) as unknown as FakeStats;
    },
    trace: () =>
      String(trace() as string)
        .split('\n')
        .filter((l) => l.length > 0),
    reset: () => void reset(),
  };
}
