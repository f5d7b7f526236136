/**
 * The renderer's one origin. The app's pages are served from a custom, privileged (standard + secure) scheme so
 * that they get a real origin of their own (`file://` pages share one opaque origin with every other file on
 * disk) and so that the main process decides every byte the renderer receives.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'passkey-desk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * True when `url` is a page of ours: exactly `app://passkey-desk`, no credentials, no port. Compared by parts,
 * not by `URL.origin`: Node's URL reports `"null"` as the origin of schemes it does not know, while Chromium
 * knows ours because it is registered as standard.
 */
export function isAppUrl(url: string | null | undefined): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}
