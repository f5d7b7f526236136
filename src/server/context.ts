/**
 * Everything a request handler needs, built once per server: the database, the relying-party identity, the
 * clock and the key cache. Origins are filled in after listen when the port was 0.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './db/schema';
import type { Engine } from './db/open-database';
import type { Clock } from './clock';
import type { SignInStore } from './store/sign-in';
import { KeyCache } from './webauthn/key-cache';

export interface Lifetimes {
  challengeMs: number;
  sessionMs: number;
  /**
   * Revoking or adding a passkey, approving a desktop login and signing out the other sessions need a
   * user-verified sign-in at most this old.
   */
  recentSignInMs: number;
  desktopRequestMs: number;
  desktopCodeMs: number;
}

export const DEFAULT_LIFETIMES: Lifetimes = {
  challengeMs: 5 * 60_000,
  sessionMs: 12 * 60 * 60_000,
  recentSignInMs: 5 * 60_000,
  desktopRequestMs: 10 * 60_000,
  desktopCodeMs: 60_000,
};

export interface ServerContext {
  db: Kysely<Database>;
  engine: Engine;
  rpId: string;
  rpName: string;
  rpIdHash: Buffer;
  /** Allowed origins; the first one is where the pages are served (enroll/manage URLs). */
  origins: string[];
  clock: Clock;
  keyCache: KeyCache;
  lifetimes: Lifetimes;
  /** The sign-in's database work, specialised per engine (store/sign-in.ts). */
  signIns: SignInStore;
  /**
   * Check sign-in signatures in libuv's thread pool before the transaction (webauthn/signature-ahead.ts). On by
   * default: it takes the main thread from about 115 to 82 µs per sign-in and throughput up by 15–20%. It costs
   * no memory of its own now that nothing it allocates is an ArrayBuffer and the server runs with a bounded old
   * generation (`--heap-growing-percent`, runtime-settings.ts); docs/server-benchmarks.md has the figures.
   */
  verifyInThreadPool: boolean;
}

export function createContext(
  input: Omit<ServerContext, 'rpIdHash' | 'keyCache'>,
  keyCacheEntries?: number,
): ServerContext {
  return {
    ...input,
    rpIdHash: createHash('sha256').update(input.rpId).digest(),
    keyCache: new KeyCache(keyCacheEntries),
  };
}

export const publicOrigin = (ctx: ServerContext): string => ctx.origins[0] ?? '';
