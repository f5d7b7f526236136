/**
 * A server may only announce an RP ID and origin it could serve pages for: otherwise it could get the vault to
 * sign another site's challenges (the phishing a browser's origin check stops). Checked when an account is added.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkRelyingParty, discover, normaliseServerUrl } from '../../src/main/accounts/discovery';
import { systemBrowserCommand } from '../../src/main/accounts/system-browser';
import type { Discovery } from '../../src/main/accounts/types';
import { signInWithVault } from '../../src/main/accounts/vault-ceremonies';
import type { VaultCeremonies } from '../../src/main/accounts/vault-ceremonies';

const refusal = (base: string, rpId: string, origin: string): string | null => {
  try {
    checkRelyingParty(base, rpId, origin);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
};

describe('the RP ID and origin a server may announce', () => {
  it.each([
    ['https://example.com', 'example.com', 'https://example.com'],
    ['https://login.example.com', 'example.com', 'https://login.example.com'],
    ['https://login.bank.co.uk', 'bank.co.uk', 'https://login.bank.co.uk'],
    ['http://127.0.0.1:8787', 'localhost', 'http://localhost:8787'],
    ['http://localhost:8787', 'localhost', 'http://localhost:8787'],
    ['http://[::1]:8787', 'localhost', 'http://localhost:8787'],
  ])('accepts %s speaking for %s (%s)', (base, rpId, origin) => {
    expect(refusal(base, rpId, origin)).toBeNull();
  });

  it.each([
    ['https://evil.example', 'bank.example', 'https://bank.example', 'is not part of bank.example'],
    ['https://bank.example.evil.test', 'bank.example', 'https://bank.example', 'is not part of'],
    ['https://evil.example', 'evil.example', 'https://bank.example', 'the origin is not part of'],
    ['https://evil.github.io', 'github.io', 'https://evil.github.io', 'public suffix'],
    ['https://bank.co.uk', 'co.uk', 'https://bank.co.uk', 'public suffix'],
    ['https://example.com', 'example.com', 'http://example.com', 'does not use https'],
    ['https://203.0.113.5', '203.0.113.5', 'https://203.0.113.5', 'not a domain a site can own'],
    ['http://127.0.0.1:8787', 'bank.example', 'https://bank.example', 'may only speak for localhost'],
    ['https://example.com', 'localhost', 'http://localhost:8787', 'not a domain a site can own'],
    // A host within the RP ID announcing another host's origin: it could relay the vault's assertions there.
    [
      'https://user-pages.example.com',
      'example.com',
      'https://login.example.com',
      "the origin is not the server's own",
    ],
    ['https://example.com', 'example.com', 'https://example.com:8443', "the origin is not the server's own"],
  ])('refuses %s speaking for %s (%s)', (base, rpId, origin, why) => {
    const message = refusal(base, rpId, origin);
    expect(message).toContain(why);
    expect(message).toContain('Passkey Desk answers only for the site it talks to');
  });
});

describe('an account connected under the looser rule', () => {
  it('is refused before the vault signs as another host, with the way out', async () => {
    const stored = {
      serverUrl: 'https://user-pages.example.com',
      rpId: 'example.com',
      origin: 'https://login.example.com',
    } as Discovery;
    const vault = {
      sign: () => Promise.reject(new Error('the vault must not be asked')),
    } as unknown as VaultCeremonies;
    await expect(signInWithVault(vault, stored, 'ana')).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringContaining(
        'This account was connected before Passkey Desk checked that; remove it and add it again',
      ),
    });
  });
});

describe('the server address', () => {
  it('takes https anywhere and plain http only on this machine (the session token travels over it)', () => {
    expect(normaliseServerUrl('https://example.com/some/page?x=1')).toBe('https://example.com');
    expect(normaliseServerUrl('http://127.0.0.1:8787/')).toBe('http://127.0.0.1:8787');
    expect(normaliseServerUrl('http://localhost:8787')).toBe('http://localhost:8787');
    expect(() => normaliseServerUrl('http://example.com')).toThrow(
      /plain http; .* over https only .* Use https:\/\/example\.com\./,
    );
    // A subdomain of localhost is looked up by the resolver (DNS, on a plain glibc system): not surely this machine.
    expect(() => normaliseServerUrl('http://app.localhost:8787')).toThrow(
      /plain http; .* Use https:\/\/app\.localhost:8787, or http:\/\/127\.0\.0\.1:8787 for a server on this machine\./,
    );
  });
});

describe('discovery', () => {
  let close: (() => void) | null = null;
  afterEach(() => close?.());

  const ENDPOINTS = {
    registration: { options: '/a', verify: '/b' },
    authentication: { options: '/c', verify: '/d' },
    account: { passkeys: '/e', acceptedCredentials: '/f', currentUser: '/g', signOut: '/h' },
  };

  /** A server on 127.0.0.1 whose /api answers what `describe(url)` gives at the time of the request. */
  async function serveApi(describe: (url: string) => unknown): Promise<string> {
    const server = createServer((req, res) => {
      if (req.url === '/api')
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(describe(url)));
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    close = () => server.close();
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return url;
  }

  it('refuses a server on this machine that announces another site as its RP', async () => {
    const url = await serveApi(() => ({
      rpId: 'bank.example',
      origins: ['https://bank.example'],
      ...ENDPOINTS,
    }));
    await expect(discover(url)).rejects.toMatchObject({
      code: 'UNSUPPORTED',
      message: expect.stringContaining('announces RP ID "bank.example"'),
    });
  });

  it('signs as its own origin when a server announces several (a browser signs as the page it shows)', async () => {
    const url = await serveApi((self) => ({
      rpId: 'localhost',
      origins: ['http://localhost:1', self.replace('127.0.0.1', 'localhost')],
      ...ENDPOINTS,
    }));
    const port = new URL(url).port;
    await expect(discover(url)).resolves.toMatchObject({ origin: `http://localhost:${port}` });
  });

  it('refuses endpoint paths that are not plain paths (a query, a space, a quote)', async () => {
    let authorize = '';
    const url = await serveApi((self) => ({
      rpId: 'localhost',
      origins: [self.replace('127.0.0.1', 'localhost')],
      ...ENDPOINTS,
      desktop: { authorize, token: '/t' },
    }));
    for (authorize of ['/x?y=1', '/x y', '/x"&calc', '/x\\y'])
      await expect(discover(url), authorize).rejects.toThrow(/a path such as/);
    authorize = '/api/desktop/authorize';
    await expect(discover(url)).resolves.toMatchObject({
      endpoints: { desktopAuthorize: '/api/desktop/authorize' },
    });
  });
});

describe('the system browser', () => {
  it('is opened on Windows by the URL protocol handler, never through cmd (where & starts a command)', () => {
    const [command, args] = systemBrowserCommand('win32');
    expect(command).toBe('rundll32.exe');
    expect(args).toEqual(['url.dll,FileProtocolHandler']);
    for (const p of ['linux', 'darwin', 'win32'] as const)
      expect(systemBrowserCommand(p)[0]).not.toMatch(/cmd/i);
  });
});
