import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  platformFinding,
  reachabilityFindings,
  touchIdFindings,
  windowsHelloFindings,
} from '../../src/main/doctor';
import { createWindowsHelloStore } from '../../src/main/stores/windows-hello';
import type { RunningServer } from '../../src/server';
import { startServer } from '../../src/server';
import type { UserVerifier } from '../../src/main/verify/user-verifier';
import { buildFakeWebauthn, writeFakeWebauthnScenario } from '../helpers/fake-webauthn';

describe('platform: OS and version', () => {
  it.each([
    [
      { platform: 'win32', release: '10.0.17763', version: 'Windows 10 Pro', arch: 'x64' },
      'problem',
      'too old',
    ],
    [
      { platform: 'win32', release: '10.0.19045', version: 'Windows 10 Pro', arch: 'x64' },
      'problem',
      'Windows 10',
    ],
    [
      { platform: 'win32', release: '10.0.22631', version: 'Windows 11 Pro', arch: 'x64' },
      'ok',
      'recent enough',
    ],
    [
      { platform: 'darwin', release: '21.6.0', version: 'Darwin Kernel Version 21.6.0', arch: 'arm64' },
      'problem',
      'too old',
    ],
    [
      { platform: 'darwin', release: '24.1.0', version: 'Darwin Kernel Version 24.1.0', arch: 'arm64' },
      'ok',
      'recent enough',
    ],
    [
      { platform: 'linux', release: '6.1.0-28-amd64', version: '#1 SMP Debian', arch: 'x64' },
      'ok',
      'no built-in passkey store',
    ],
  ] as const)('%j → %s', (facts, verdict, words) => {
    const f = platformFinding(facts);
    expect(f.verdict).toBe(verdict);
    expect(f.title).toContain(words);
    expect(f.evidence[0]?.label).toBe('Operating system');
  });

  it('names macOS by its marketing version', () => {
    expect(
      platformFinding({ platform: 'darwin', release: '25.0.0', version: '', arch: 'arm64' }).evidence[0]
        ?.value,
    ).toContain('macOS 26');
    expect(
      platformFinding({ platform: 'darwin', release: '23.4.0', version: '', arch: 'arm64' }).evidence[0]
        ?.value,
    ).toContain('macOS 14');
  });
});

describe('Windows Hello facts from the store (C stand-in of webauthn.dll through koffi)', () => {
  let libraryPath: string;
  beforeAll(async () => {
    libraryPath = await buildFakeWebauthn();
  });
  const infoWith = async (scenario: Parameters<typeof writeFakeWebauthnScenario>[0]) => {
    process.env.FAKE_WEBAUTHN_SCENARIO = writeFakeWebauthnScenario(scenario);
    return createWindowsHelloStore({ libraryPath, platform: 'win32' }).info();
  };

  it('API 9 with Windows Hello set up: ok, and Windows offers the phone itself', async () => {
    const [f] = windowsHelloFindings(
      await infoWith({ apiVersion: 9, userVerifyingPlatformAuthenticator: true, credentials: [] }),
      'win32',
    );
    expect(f).toMatchObject({ verdict: 'ok', title: 'Windows Hello is set up' });
    expect(f!.evidence).toContainEqual({ label: 'webauthn.dll API version', value: '9' });
    expect(f!.explanation).toContain('phone');
  });

  it('no user-verifying platform authenticator: "couldn\'t use your device", with the Settings link', async () => {
    const [f] = windowsHelloFindings(
      await infoWith({ apiVersion: 9, userVerifyingPlatformAuthenticator: false, credentials: [] }),
      'win32',
    );
    expect(f).toMatchObject({ verdict: 'problem', title: 'Windows Hello is not set up on this PC' });
    expect(f!.fix).toMatchObject({ kind: 'link', url: 'ms-settings:signinoptions' });
  });

  it('an old API: a problem that names the version', async () => {
    const [f] = windowsHelloFindings(await infoWith({ apiVersion: 2, credentials: [] }), 'win32');
    expect(f?.evidence).toContainEqual({ label: 'webauthn.dll API version', value: '2' });
  });

  it('not Windows and no library: nothing to say', async () => {
    expect(
      windowsHelloFindings(await createWindowsHelloStore({ platform: 'linux' }).info(), 'linux'),
    ).toEqual([]);
  });
});

describe("Touch ID (macOS) from the shell's verifier", () => {
  const verifier = (name: string, ok: boolean): UserVerifier => ({
    name,
    available: async () => ({ ok, reason: ok ? null : 'no finger enrolled' }),
    verify: async () => undefined,
  });
  it('available / not available / CLI without Touch ID', async () => {
    expect((await touchIdFindings(verifier('touch-id', true), 'darwin'))[0]?.verdict).toBe('ok');
    expect((await touchIdFindings(verifier('touch-id', false), 'darwin'))[0]).toMatchObject({
      verdict: 'problem',
    });
    expect((await touchIdFindings(verifier('unsupported', false), 'darwin'))[0]).toMatchObject({
      verdict: 'unknown',
      fix: { kind: 'steps' },
    });
    expect(await touchIdFindings(verifier('polkit', true), 'linux')).toEqual([]);
  });
});

describe('server reachability (the real reference server on 127.0.0.1)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0 });
  });
  afterAll(async () => server.close());

  it('reachable: ok with the HTTP answer as evidence', async () => {
    const [f] = await reachabilityFindings(server.url);
    expect(f).toMatchObject({ verdict: 'ok' });
    expect(f!.evidence[1]?.value).toMatch(/^HTTP 200 in \d+ ms$/);
  });

  it('an unused port: a problem, "connection refused"', async () => {
    const port = await unusedPort();
    const [f] = await reachabilityFindings(`http://127.0.0.1:${port}`);
    expect(f).toMatchObject({ verdict: 'problem', title: "This computer cannot reach the account's server" });
    expect(f!.evidence).toContainEqual({ label: 'Error', value: 'connection refused' });
  });

  it('a server that never answers: a problem after the time limit', async () => {
    const silent = createServer(() => undefined).listen(0, '127.0.0.1');
    await new Promise((r) => silent.once('listening', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const [f] = await reachabilityFindings(`http://127.0.0.1:${port}`, { timeoutMs: 300 });
      expect(f!.evidence).toContainEqual({ label: 'Error', value: 'no answer within 300 ms' });
    } finally {
      silent.close();
    }
  });

  it('no account picked: unknown', async () => {
    expect((await reachabilityFindings(null))[0]?.verdict).toBe('unknown');
  });
});

function unusedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
