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
import { createWindowsHelloStore } from '../../src/main/stores/windows-hello';
import { realKeyring } from '../helpers/keyring';
import { TestVerifier } from '../helpers/test-verifier';

export interface DeskServices {
  services: Services;
  verifier: TestVerifier;
}

/** The vault on the real Secret Service, a test verifier, and Windows Hello (which reports itself unavailable off Windows). */
export function createDeskServices(dataDir: string): DeskServices {
  const verifier = new TestVerifier();
  const services = createServices({
    dataDir,
    shell: 'test-bridge',
    secrets: realKeyring(),
    userVerifier: verifier,
    platform: 'linux',
    stores: [createWindowsHelloStore()],
  });
  return { services, verifier };
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
