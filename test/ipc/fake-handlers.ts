import { vi } from 'vitest';
import { CHANNEL_NAMES } from '../../src/shared/contract';
import type { ChannelName, Handlers } from '../../src/shared/contract';

/** A Handlers object whose every channel records its calls and answers `{ channel, request }` (a fake, not a mock of services). */
export function recordingHandlers(
  overrides: Partial<Record<ChannelName, (request: unknown) => Promise<unknown>>> = {},
) {
  const calls: { channel: ChannelName; request: unknown }[] = [];
  const entries = CHANNEL_NAMES.map((channel) => [
    channel,
    vi.fn(async (request: unknown) => {
      calls.push({ channel, request });
      const override = overrides[channel];
      return override ? override(request) : { channel, request };
    }),
  ]);
  return { handlers: Object.fromEntries(entries) as unknown as Handlers, calls };
}
