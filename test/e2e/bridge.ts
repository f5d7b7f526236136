/**
 * The e2e fixture: real services (test/e2e/desk-services.ts, bundled by global setup) in a temporary data folder,
 * the built renderer served over HTTP with its CSP, and `window.passkeyDesk` in the page bridged to those
 * services through a Playwright binding, validated as the Electron hub validates requests.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { test as base, expect } from '@playwright/test';
import type { Page } from '@playwright/test';
import type { ChannelName, ProgressEvent } from '../../src/shared/contract';
import type { Services } from '../../src/main/services';
import { buildFakeWebauthn, writeFakeWebauthnScenario } from '../helpers/fake-webauthn';
import type { FakeScenario } from '../helpers/fake-webauthn';
import type { MemoryKey } from '../helpers/soft-ctap/memory-hid';
import type { SoftKeyState } from '../helpers/soft-ctap/state';
import type { TestVerifier } from '../helpers/test-verifier';
import type * as DeskServices from './desk-services';
import type { DeskControl } from './desk-services';
import { BRIDGE_CLIENT_ENV, DESK_SERVICES_ENV } from './global-setup';
import { serveFolder } from './serve';
import type { StaticServer } from './serve';

type DeskServicesModule = typeof DeskServices;

const RENDERER_DIR = fileURLToPath(new URL('../../dist/renderer', import.meta.url));
const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-results/screenshots', import.meta.url));
/** Where dropped files "live" unless a test says otherwise: the real import fixtures. */
export const IMPORT_FIXTURES = fileURLToPath(new URL('../fixtures/imports', import.meta.url));

/** How the machine looks to the app; set per file with `test.use({ machine: {...} })`. */
export interface Machine {
  /** The OS the services believe they run on (default linux). */
  platform?: NodeJS.Platform;
  /** Windows Hello through the webauthn.dll stand-in, with this initial state. */
  windowsHello?: FakeScenario;
  /** Record links.open calls (checked against the shell's allow-list) and desktop-login pages instead of launching a browser. */
  systemBrowser?: boolean;
  /** The folder dropped files come from (the stand-in for webUtils.getPathForFile); default the import fixtures. */
  dropFolder?: string;
}

export interface Desk {
  services: Services;
  dataDir: string;
  verifier: TestVerifier;
  /** Every bridge call the page made, in order (channel names only). */
  calls: ChannelName[];
  /** Console messages about content the CSP blocked; the fixture fails a test that caused any. */
  cspViolations: string[];
  /** Where the app is served (http://127.0.0.1:PORT/index.html). */
  appUrl: string;
  /** Loads the app in the page and waits for the first inventory. */
  open(): Promise<Page>;
  /** Saves a screenshot to test-results/screenshots/NAME.png, to be looked at. */
  screenshot(name: string): Promise<void>;
  /** What the OS answers (the file dialog's path). */
  control: DeskControl;
  /** Links the app asked the system browser to open (with `machine.systemBrowser`). */
  openedLinks: string[];
  /** Plugs a simulated FIDO2 key in; its state object is the key's memory (read it to see what changed). */
  plugSecurityKey(state: SoftKeyState): MemoryKey;
  /** The stand-in's scenario file (with `machine.windowsHello`); the stand-in rewrites it after a delete. */
  windowsHelloScenario: string | null;
  /** Every progress event the services pushed to the page (the preload's `progress` event), in order. */
  progress: ProgressEvent[];
}

function envPath(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `${name} is not set: run the e2e tests through playwright.config.ts (its global setup builds the bridge).`,
    );
  return value;
}

export const test = base.extend<
  { desk: Desk; machine: Machine },
  { renderer: StaticServer; deskModule: DeskServicesModule }
>({
  machine: [{}, { option: true }],
  renderer: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
    async ({}, use) => {
      const server = await serveFolder(RENDERER_DIR);
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  deskModule: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
    async ({}, use) => {
      await use((await import(pathToFileURL(envPath(DESK_SERVICES_ENV)).href)) as DeskServicesModule);
    },
    { scope: 'worker' },
  ],
  desk: async ({ page, renderer, deskModule, machine }, use) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'pkd-e2e-data-'));
    const openedLinks: string[] = [];
    let windowsHelloScenario: string | null = null;
    let windowsHelloLibrary: string | undefined;
    if (machine.windowsHello) {
      windowsHelloLibrary = await buildFakeWebauthn();
      windowsHelloScenario = writeFakeWebauthnScenario(
        machine.windowsHello,
        join(dataDir, 'webauthn-scenario.txt'),
      );
      // The stand-in reads its state from this file on every call (getenv in the same process).
      process.env.FAKE_WEBAUTHN_SCENARIO = windowsHelloScenario;
    }
    const { services, verifier, control, plugSecurityKey } = deskModule.createDeskServices(dataDir, {
      ...(machine.platform ? { platform: machine.platform } : {}),
      ...(windowsHelloLibrary ? { windowsHelloLibrary } : {}),
      ...(machine.systemBrowser ? { openedLinks } : {}),
    });
    const calls: ChannelName[] = [];
    const cspViolations: string[] = [];
    page.on('console', (msg) => {
      const text = msg.text();
      // The meta tag carries frame-ancestors, which browsers ignore there (the HTTP header enforces it).
      if (/Content Security Policy|Refused to/i.test(text) && !/frame-ancestors/.test(text))
        cspViolations.push(text);
    });
    await page.exposeBinding(
      '__passkeyDeskInvoke',
      deskModule.bridgeInvoke(services, renderer.origin, calls),
    );
    // The OS's answer to "where is this dragged file?", read by the bridge client's pathForFile.
    await page.addInitScript((folder) => {
      (globalThis as { __passkeyDeskDropFolder?: string }).__passkeyDeskDropFolder = folder;
    }, machine.dropFolder ?? IMPORT_FIXTURES);
    await page.addInitScript({ path: envPath(BRIDGE_CLIENT_ENV) });
    // The services' progress events (config.onProgress reaches the reconciler's listeners) go to the page, as
    // Electron's hub pushes them over IPC.
    const progress: ProgressEvent[] = [];
    const stopProgress = services.accounts.reconciler.onProgress((event) => {
      progress.push(event);
      page
        .evaluate(
          (e) =>
            (globalThis as { __passkeyDeskProgress?: (e: ProgressEvent) => void }).__passkeyDeskProgress?.(e),
          event,
        )
        .catch(() => undefined);
    });

    await use({
      services,
      dataDir,
      verifier,
      calls,
      cspViolations,
      appUrl: renderer.url,
      async open() {
        await page.goto(renderer.url);
        await expect(page.getByRole('heading', { level: 1, name: 'Passkeys' })).toBeVisible();
        await expect(page.getByText('Reading your passkey stores…')).toHaveCount(0);
        return page;
      },
      async screenshot(name) {
        await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
      },
      control,
      openedLinks,
      plugSecurityKey,
      windowsHelloScenario,
      progress,
    });
    stopProgress();
    if (windowsHelloScenario) delete process.env.FAKE_WEBAUTHN_SCENARIO;
    expect(cspViolations, 'the page broke its Content-Security-Policy').toEqual([]);
    await rm(dataDir, { recursive: true, force: true });
  },
});

export { expect };
