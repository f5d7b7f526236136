/**
 * How every browser test here launches Debian's Chromium (`npx playwright install` cannot download browsers on
 * these machines). The flags keep it quiet on a closed network: without the background-networking ones it keeps
 * trying to reach Google's hosts. PASSKEY_DESK_CHROMIUM points at another build.
 */
export const CHROMIUM_PATH = process.env.PASSKEY_DESK_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS: readonly string[] = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

/** Launch options for playwright-core's `chromium.launch`. */
export const chromiumLaunchOptions = (): { executablePath: string; args: string[] } => ({
  executablePath: CHROMIUM_PATH,
  args: [...CHROMIUM_FLAGS],
});
