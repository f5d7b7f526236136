import { describe, expect, it } from 'vitest';
import { checkExternalLink } from '../../src/main/ipc/external-links';
import type { ExternalLinkPolicy } from '../../src/main/ipc/external-links';
import { decideNavigation } from '../../src/main/ipc/navigation';

const linux: ExternalLinkPolicy = {
  platform: 'linux',
  accountOrigins: () => ['https://accounts.example.com', 'http://127.0.0.1:8443'],
};
const windows: ExternalLinkPolicy = { ...linux, platform: 'win32' };

describe('external link allow-list', () => {
  const allowed = [
    'https://support.apple.com/en-us/102195',
    'https://support.google.com/accounts/answer/13548313',
    'https://support.microsoft.com/en-us/windows/passkeys-in-windows-301c8944-5ea2-452b-9886-97e4d2ef4422',
    'https://1password.com/product/passkeys',
    'https://support.1password.com/save-use-passkeys/',
    'https://bitwarden.com/help/storing-passkeys/',
    'https://keepassxc.org/docs/KeePassXC_UserGuide#_passkeys',
    'https://accounts.example.com/settings/passkeys',
    'http://127.0.0.1:8443/manage',
  ];
  it.each(allowed)('opens %s', (url) => {
    expect(checkExternalLink(url, linux)).toEqual({ ok: true, url: new URL(url).href });
  });

  const refused: [string, string][] = [
    ['file:///etc/passwd', 'file URLs'],
    ['smb://attacker.example/share', 'other protocol handlers'],
    ['javascript:alert(1)', 'javascript:'],
    ['http://support.apple.com/en-us/102195', 'plain http to a help site'],
    ['https://support.apple.com.evil.example/', 'a look-alike host'],
    ['https://evilsupport.apple.com/', 'a sibling host'],
    ['https://bitwarden.com/pricing/', 'bitwarden.com outside /help/'],
    ['https://support.google.com:8443/', 'a help site on another port'],
    ['https://user:pw@support.google.com/', 'credentials in the URL'],
    ['https://accounts.example.com.evil.example/', 'an account look-alike'],
    ['http://accounts.example.com/', 'an account origin over http'],
    ['http://127.0.0.1:9999/', 'loopback on a port no account uses'],
    ['http://192.168.1.10/', 'a LAN address'],
    ['ms-settings:savedpasskeys', 'Windows Settings on Linux'],
    ['not a url', 'garbage'],
    ['', 'empty'],
    [`https://support.google.com/${'a'.repeat(3000)}`, 'an overlong URL'],
  ];
  it.each(refused)('refuses %s (%s)', (url) => {
    const verdict = checkExternalLink(url, linux);
    expect(verdict.ok).toBe(false);
    if (!verdict.ok) expect(verdict.reason.length).toBeGreaterThan(10);
  });

  it('opens the Windows Settings passkey pages on Windows only, and no other ms-settings page', () => {
    expect(checkExternalLink('ms-settings:savedpasskeys', windows)).toEqual({
      ok: true,
      url: 'ms-settings:savedpasskeys',
    });
    expect(checkExternalLink('ms-settings:signinoptions', windows).ok).toBe(true);
    expect(checkExternalLink('ms-settings:windowsupdate', windows).ok).toBe(false);
    expect(checkExternalLink('ms-settings:savedpasskeys?x=1', windows).ok).toBe(false);
  });

  it('passes on the re-serialised URL, so what was checked is what is opened', () => {
    expect(checkExternalLink('HTTPS://SUPPORT.GOOGLE.COM/a b', linux)).toEqual({
      ok: true,
      url: 'https://support.google.com/a%20b',
    });
  });

  it('reads account origins at each call, so a newly connected account counts at once', () => {
    const origins: string[] = [];
    const policy: ExternalLinkPolicy = { platform: 'linux', accountOrigins: () => origins };
    expect(checkExternalLink('https://new.example/', policy).ok).toBe(false);
    origins.push('https://new.example');
    expect(checkExternalLink('https://new.example/', policy).ok).toBe(true);
  });

  it('ignores a malformed account origin instead of throwing', () => {
    expect(
      checkExternalLink('https://x.example/', {
        platform: 'linux',
        accountOrigins: () => ['::not an origin::'],
      }).ok,
    ).toBe(false);
  });
});

describe('navigation decisions', () => {
  it('lets our own pages navigate within app://passkey-desk', () => {
    expect(decideNavigation('app://passkey-desk/index.html#/vault', linux, { forNewWindow: false })).toEqual({
      action: 'allow',
    });
  });
  it('never opens a new window, even for our own origin', () => {
    expect(decideNavigation('app://passkey-desk/index.html', linux, { forNewWindow: true }).action).toBe(
      'deny',
    );
  });
  it('sends an allow-listed link to the system browser instead of loading it', () => {
    expect(decideNavigation('https://support.apple.com/102195', linux, { forNewWindow: false })).toEqual({
      action: 'open-external',
      url: 'https://support.apple.com/102195',
    });
    expect(decideNavigation('https://support.apple.com/102195', linux, { forNewWindow: true }).action).toBe(
      'open-external',
    );
  });
  it.each([
    'https://evil.example/',
    'file:///etc/passwd',
    'app://other/index.html',
    'data:text/html,<script>1</script>',
    'about:blank',
  ])('denies %s', (url) => {
    expect(decideNavigation(url, linux, { forNewWindow: false }).action).toBe('deny');
  });
});
