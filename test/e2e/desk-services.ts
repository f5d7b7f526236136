/**
 * The privileged side of the e2e bridge: real services and the hub that validates each call. Global setup
 * bundles this file with esbuild (as scripts/build.mjs bundles the app), because the services import JSON
 * (the AAGUID table) in ways Playwright's own TypeScript loader does not accept in an ESM package. Everything
 * that throws or catches PasskeyDeskError lives in this one bundle, so `toResult` recognises the errors.
 */
import { CHANNEL_NAMES } from '../../src/shared/contract';
import type { ChannelName, Handlers, ParsedRequestOf } from '../../src/shared/contract';
import { parseRequest } from '../../src/shared/contract/validate';
import { PasskeyDeskError } from '../../src/shared/errors';
import type { Result } from '../../src/shared/result';
import { toResult } from '../../src/shared/result';
import { createServices } from '../../src/main/services';
import type { Services } from '../../src/main/services';
import { checkExternalLink } from '../../src/main/ipc/external-links';
import { createSecurityKeyProvider } from '../../src/main/stores/security-key';
import { createWindowsHelloStore } from '../../src/main/stores/windows-hello';
import { realKeyring } from '../helpers/keyring';
import { MemoryHidBackend } from '../helpers/soft-ctap/memory-hid';
import type { MemoryKey } from '../helpers/soft-ctap/memory-hid';
import type { SoftKeyState } from '../helpers/soft-ctap/state';
import { TestVerifier } from '../helpers/test-verifier';

/** How a test wants the machine to look (Playwright fixture option `deskOptions`). */
export interface DeskOptions {
  /** The OS the services believe they run on (guided cards order their steps by it; ms-settings links need win32). */
  platform?: NodeJS.Platform;
  /**
   * The webauthn.dll stand-in (test/helpers/fake-webauthn.ts), read through FAKE_WEBAUTHN_SCENARIO. Without it
   * Windows Hello reports itself unavailable, as it does off Windows.
   */
  windowsHelloLibrary?: string;
  /**
   * The system browser: links.open checks the shell's allow-list (as createSafeOpenExternal does) and records the
   * URL here instead of launching anything; so does a desktop login's authorize page. Without it links.open is
   * UNSUPPORTED, as outside the desktop app (and a desktop login would run xdg-open).
   */
  openedLinks?: string[];
}

/** What the OS would answer, set by the test while the page runs. */
export interface DeskControl {
  /** The path the OS file dialog returns for imports.pickFile; null = the user cancelled it. */
  pickedFile: string | null;
}

export interface DeskServices {
  services: Services;
  verifier: TestVerifier;
  control: DeskControl;
  /** Plugs a simulated FIDO2 key (soft-ctap) into the in-memory USB bus; the state object is the key's memory. */
  plugSecurityKey(state: SoftKeyState): MemoryKey;
}

/**
 * The vault on the real Secret Service, a test verifier, Windows Hello (unavailable unless the stand-in is given),
 * security keys on an in-memory HID bus (none plugged in until a test plugs one: a YubiKey in the machine running
 * the tests never shows up), and the OS file dialog answering what the test says.
 */
export function createDeskServices(dataDir: string, options: DeskOptions = {}): DeskServices {
  const verifier = new TestVerifier();
  const platform = options.platform ?? 'linux';
  const control: DeskControl = { pickedFile: null };
  const hid = new MemoryHidBackend();
  const opened = options.openedLinks;
  const services = createServices({
    dataDir,
    shell: 'test-bridge',
    secrets: realKeyring(),
    userVerifier: verifier,
    platform,
    stores: [
      createWindowsHelloStore(
        options.windowsHelloLibrary ? { libraryPath: options.windowsHelloLibrary, platform: 'win32' } : {},
      ),
    ],
    securityKeys: createSecurityKeyProvider({ hid }),
    pickFile: () => Promise.resolve(control.pickedFile),
    ...(opened
      ? {
          openExternal: (url: string) => {
            const verdict = checkExternalLink(url, { platform, accountOrigins: () => [] });
            if (!verdict.ok)
              return Promise.reject(
                new PasskeyDeskError(
                  'INVALID_INPUT',
                  `Passkey Desk did not open this link: ${verdict.reason}.`,
                ),
              );
            opened.push(verdict.url);
            return Promise.resolve();
          },
          // A desktop login's authorize page goes to the same browser: recorded, for the test to act on.
          openBrowser: (url: string) => {
            opened.push(url);
            return Promise.resolve();
          },
        }
      : {}),
  });
  return { services, verifier, control, plugSecurityKey: (state) => hid.add(state) };
}

/** The part of a Playwright frame the hub looks at. */
export interface CallerFrame {
  parentFrame(): unknown;
  url(): string;
}

const isChannel = (value: unknown): value is ChannelName =>
  typeof value === 'string' && (CHANNEL_NAMES as readonly string[]).includes(value);

function callHandler<C extends ChannelName>(
  handlers: Handlers,
  channel: C,
  request: ParsedRequestOf<C>,
): Promise<unknown> {
  const handler = handlers[channel] as (req: ParsedRequestOf<C>) => Promise<unknown>;
  return handler(request);
}

/**
 * The bridge's IPC hub: sender first (only our page's top frame), then the payload, then the service. The Result
 * crosses as one JSON string: Playwright serialises structured binding results value by value, which takes
 * seconds for a 10,000-passkey inventory, while Electron's structured clone takes milliseconds; a string keeps the
 * bridge from distorting the renderer's timings. Results are plain JSON data either way.
 */
export function bridgeInvoke(services: Services, origin: string, calls: ChannelName[]) {
  return async (source: { frame: CallerFrame }, channel: unknown, request: unknown): Promise<string> =>
    JSON.stringify(await hub(services, origin, calls, source, channel, request));
}

function hub(
  services: Services,
  origin: string,
  calls: ChannelName[],
  source: { frame: CallerFrame },
  channel: unknown,
  request: unknown,
): Promise<Result<unknown>> {
  return toResult(async () => {
    const frame = source.frame;
    if (frame.parentFrame() !== null || new URL(frame.url()).origin !== origin) {
      throw new PasskeyDeskError(
        'FORBIDDEN_SENDER',
        `Refused a call from ${frame.url()}: only the app's own page may call.`,
      );
    }
    if (!isChannel(channel))
      throw new PasskeyDeskError('INVALID_INPUT', `Unknown channel ${String(channel)}.`);
    calls.push(channel);
    return callHandler(services.handlers, channel, parseRequest(channel, request));
  });
}
