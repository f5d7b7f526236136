import { CHANNEL_NAMES } from '../../shared/contract';
import type { ChannelName, Handlers } from '../../shared/contract';
import { parseRequest } from '../../shared/contract/validate';
import { toErrorInfo } from '../../shared/errors';
import type { Result } from '../../shared/result';
import { err, ok } from '../../shared/result';
import { isAppUrl } from './app-origin';

/** What the IPC hub knows about who sent a request (read from Electron's event, so this module stays plain Node). */
export interface SenderInfo {
  /** `event.sender.id`: the webContents that sent the message. */
  webContentsId: number;
  /** `event.senderFrame.url`, or null when the frame is gone (navigated away or destroyed) before we looked. */
  frameUrl: string | null;
  /** Whether the sending frame is its page's top frame. Our pages have no frames; a sub-frame is not ours. */
  isMainFrame: boolean;
}

export type SenderCheck = (sender: SenderInfo) => { trusted: true } | { trusted: false; reason: string };

/**
 * The sender rule of the IPC hub: a request is ours when it comes from the top frame of a webContents this app
 * created (ids recorded by the window factory) and that frame currently shows a page of `app://passkey-desk`.
 * Both halves matter: the id alone would trust one of our windows after it was navigated elsewhere; the URL alone
 * would trust any webContents (a devtools extension page, a future helper window) that loaded our origin.
 */
export function createSenderCheck(ourWebContents: ReadonlySet<number>): SenderCheck {
  return (sender) => {
    if (!ourWebContents.has(sender.webContentsId))
      return {
        trusted: false,
        reason: `webContents ${sender.webContentsId} is not a window Passkey Desk created`,
      };
    if (!sender.isMainFrame)
      return { trusted: false, reason: 'the request came from a sub-frame; Passkey Desk pages have none' };
    if (!isAppUrl(sender.frameUrl))
      return {
        trusted: false,
        reason: `the sending page is ${describeUrl(sender.frameUrl)}, expected a page of app://passkey-desk`,
      };
    return { trusted: true };
  };
}

export type Dispatch = (channel: string, sender: SenderInfo, payload: unknown) => Promise<Result<unknown>>;

/**
 * Sender, then payload, then work: the whole logic behind every `ipcMain.handle`, without Electron.
 * Every outcome is a Result envelope, because Electron passes only the `message` of an error thrown in a handler;
 * `toErrorInfo` keeps code, message and details and never a stack.
 */
export function createDispatch(options: { handlers: Handlers; isTrustedSender: SenderCheck }): Dispatch {
  const { handlers, isTrustedSender } = options;
  return async (channel, sender, payload) => {
    const verdict = isTrustedSender(sender);
    if (!verdict.trusted) {
      return err({ code: 'FORBIDDEN_SENDER', message: `Refused ${safeName(channel)}: ${verdict.reason}.` });
    }
    if (!isChannelName(channel)) {
      return err({
        code: 'INVALID_INPUT',
        message: `Unknown channel ${safeName(channel)}; expected one of the ${CHANNEL_NAMES.length} contract channels.`,
      });
    }
    try {
      return ok(await callHandler(handlers, channel, payload));
    } catch (e) {
      return err(toErrorInfo(e));
    }
  };
}

/** Validates with the channel's schema (throws INVALID_INPUT before the service is touched), then calls it. */
function callHandler<C extends ChannelName>(
  handlers: Handlers,
  channel: C,
  payload: unknown,
): Promise<unknown> {
  const request = parseRequest(channel, payload);
  return handlers[channel](request);
}

function isChannelName(name: string): name is ChannelName {
  return (CHANNEL_NAMES as readonly string[]).includes(name);
}

/** Channel names are echoed in messages; a hostile sender must not be able to put a novel into our logs. */
function safeName(channel: string): string {
  return JSON.stringify(String(channel).slice(0, 64));
}

function describeUrl(url: string | null): string {
  if (!url) return 'gone (no frame URL)';
  return JSON.stringify(url.slice(0, 200));
}
