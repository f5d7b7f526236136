import type { z } from 'zod';
import type { Result } from '../result';
import { accountChannels } from './accounts';
import type { Channel } from './channel';
import { doctorChannels } from './doctor';
import { keyChannels } from './keys';
import { storeChannels } from './stores';
import { coreChannels } from './vault';

/**
 * Every IPC channel, named once. Main registers one handler per entry; preload builds `window.passkeyDesk`
 * from the names; the renderer calls typed methods. Feature files own their entries; this map joins them.
 */
export const CONTRACT = Object.freeze({
  ...coreChannels,
  ...storeChannels,
  ...keyChannels,
  ...doctorChannels,
  ...accountChannels,
});

export type Contract = typeof CONTRACT;
export type ChannelName = keyof Contract;
export const CHANNEL_NAMES = Object.freeze(Object.keys(CONTRACT) as ChannelName[]);

export type RequestOf<C extends ChannelName> =
  Contract[C] extends Channel<infer R, unknown> ? z.input<R> : never;
export type ParsedRequestOf<C extends ChannelName> =
  Contract[C] extends Channel<infer R, unknown> ? z.output<R> : never;
export type ResponseOf<C extends ChannelName> = Contract[C] extends Channel<z.ZodType, infer S> ? S : never;

/** Main-side implementation of the contract (services, the Electron hub, the e2e bridge). */
export type Handlers = { [C in ChannelName]: (request: ParsedRequestOf<C>) => Promise<ResponseOf<C>> };

/** Events main pushes to the renderer (progress of a plan, a key asking for a touch). */
export const EVENT_NAMES = Object.freeze(['progress'] as const);
export type EventName = (typeof EVENT_NAMES)[number];
export interface ProgressEvent {
  operation: string;
  message: string;
  done: number;
  total: number;
}

type Split<S extends string> = S extends `${infer Head}.${infer Tail}` ? [Head, Tail] : never;
type Namespaces = Split<ChannelName>[0];
type MethodsOf<N extends string> = {
  [C in ChannelName as Split<C>[0] extends N ? Split<C>[1] : never]: (
    request: RequestOf<C>,
  ) => Promise<Result<ResponseOf<C>>>;
};

/** `window.passkeyDesk`: `passkeyDesk.vault.create({...})` for channel `vault.create`. */
export type PasskeyDeskApi = { [N in Namespaces]: MethodsOf<N> } & {
  onProgress(listener: (event: ProgressEvent) => void): () => void;
  /** A dropped file's path on disk (Electron's webUtils.getPathForFile), null when it has none; never its contents. */
  pathForFile(file: object): string | null;
};

export function splitChannel(name: ChannelName): [string, string] {
  const dot = name.indexOf('.');
  return [name.slice(0, dot), name.slice(dot + 1)];
}
