/**
 * The allow-list behind the one `shell.openExternal` wrapper. `openExternal` hands a URL to the OS, which will
 * launch whatever application claims its scheme (`file:`, `smb:`, a custom handler with a vulnerable parser…),
 * so the renderer — even a compromised one — may only open:
 *  - https pages under the help sites this app links to for manual steps,
 *  - the https origins of the accounts the user connected (their "manage passkeys" pages),
 *  - the Windows Settings pages that hold passkeys, on Windows.
 */

/** Help sites, as host + path prefix. A prefix of "/" allows the whole host. */
export const HELP_SITES: readonly { host: string; pathPrefix: string }[] = Object.freeze([
  { host: 'support.apple.com', pathPrefix: '/' },
  { host: 'support.google.com', pathPrefix: '/' },
  { host: 'support.microsoft.com', pathPrefix: '/' },
  { host: '1password.com', pathPrefix: '/' },
  { host: 'support.1password.com', pathPrefix: '/' },
  { host: 'bitwarden.com', pathPrefix: '/help/' },
  { host: 'keepassxc.org', pathPrefix: '/' },
]);

/** Windows Settings deep links the Windows Hello store uses for manual steps (`ms-settings:` is Windows-only). */
export const WINDOWS_SETTINGS_LINKS: readonly string[] = Object.freeze([
  'ms-settings:savedpasskeys',
  'ms-settings:signinoptions',
]);

export interface ExternalLinkPolicy {
  platform: NodeJS.Platform;
  /** Origins (`https://example.com`) of connected accounts, read at each call so new connections count at once. */
  accountOrigins: () => readonly string[];
}

export type LinkVerdict = { ok: true; url: string } | { ok: false; reason: string };

const MAX_URL_LENGTH = 2048;

/**
 * Decides whether `raw` may be handed to the OS. On success `url` is the re-serialised URL: what we checked is
 * exactly what we pass on, so no second parser can read the string differently.
 */
export function checkExternalLink(raw: string, policy: ExternalLinkPolicy): LinkVerdict {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_URL_LENGTH) {
    return { ok: false, reason: `a link must be a URL of 1 to ${MAX_URL_LENGTH} characters` };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: `${quote(raw)} is not a URL` };
  }
  if (url.protocol === 'ms-settings:') {
    if (policy.platform !== 'win32')
      return { ok: false, reason: 'Windows Settings links open only on Windows' };
    return WINDOWS_SETTINGS_LINKS.includes(url.href)
      ? { ok: true, url: url.href }
      : {
          ok: false,
          reason: `${quote(url.href)} is not one of the Windows Settings pages Passkey Desk opens`,
        };
  }
  if (url.username !== '' || url.password !== '')
    return { ok: false, reason: 'links with a user name or password in them are refused' };

  if (url.protocol === 'https:' && url.port === '') {
    const host = url.hostname;
    if (HELP_SITES.some((site) => site.host === host && url.pathname.startsWith(site.pathPrefix)))
      return { ok: true, url: url.href };
  }
  if (isAccountOrigin(url, policy.accountOrigins())) return { ok: true, url: url.href };

  return {
    ok: false,
    reason: `${quote(url.href)} is not on the list of sites Passkey Desk opens (its help sites, your connected accounts' sites${policy.platform === 'win32' ? ', Windows Settings' : ''})`,
  };
}

/**
 * An account's origin matches on scheme, host and port. https only, except loopback http: the reference server
 * runs on 127.0.0.1 during development, and WebAuthn itself treats localhost as a secure context.
 */
function isAccountOrigin(url: URL, origins: readonly string[]): boolean {
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) return false;
  return origins.some((origin) => {
    try {
      return new URL(origin).origin === url.origin;
    } catch {
      return false;
    }
  });
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

function quote(text: string): string {
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text);
}
