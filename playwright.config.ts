import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './test/helpers/chromium';

/**
 * Renderer end-to-end: the built renderer in Debian Chromium, `window.passkeyDesk` bridged to the real services
 * (test/e2e/bridge.ts). `npx playwright install` cannot download browsers here, so the system Chromium is used.
 * Run inside a D-Bus session with an unlocked gnome-keyring (scripts/test.sh does it): the vault key goes to the
 * real Secret Service.
 */

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './test/e2e/global-setup.ts',
  outputDir: 'test-results/playwright',
  // The command line's --reporter wins (scripts/test.sh passes list,json); without one, a JSON report is added
  // whenever PLAYWRIGHT_JSON_OUTPUT_NAME names where it goes.
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? [['list'], ['json']] : [['list']],
  workers: process.env.CI ? 1 : 2,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  use: {
    browserName: 'chromium',
    launchOptions: { ...chromiumLaunchOptions() },
    viewport: { width: 1280, height: 820 },
    colorScheme: 'light',
    permissions: ['clipboard-read', 'clipboard-write'],
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
