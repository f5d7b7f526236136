/**
 * Warms the key cache after start-up: the public keys of the most recently used credentials (up to the cache's
 * size) are parsed in the background, a few per turn of the event loop, so that the first sign-ins after a
 * restart do not each pay a key import (about 90 µs) on the request path. Requests are served meanwhile; a key a
 * sign-in needs before its turn is simply imported by that sign-in, as without warming.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../db/schema';
import type { KeyCache } from './key-cache';

/** Keys parsed per turn: about 4 ms of work, short enough not to hold up requests waiting behind it. */
const PER_TURN = 50;

export interface Warming {
  /** Resolves with the number of keys parsed once warming has finished (or was stopped). */
  done: Promise<number>;
  stop(): void;
}

export function warmKeyCache(db: Kysely<Database>, cache: KeyCache, limit: number): Warming {
  let stopped = false;
  const done = (async () => {
    // Most recently used (or created) first; imported least recent first, so the most recent end up newest in
    // the cache's least-recently-used order.
    const rows = await db
      .selectFrom('credentials')
      .select(['id', 'public_key'])
      .orderBy(sql`coalesce(last_used_at, created_at)`, 'desc')
      .limit(limit)
      .execute();
    let parsed = 0;
    for (let i = rows.length - 1; i >= 0 && !stopped; i--) {
      const row = rows[i]!;
      cache.get(row.id, row.public_key);
      parsed++;
      if (parsed % PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    return parsed;
  })();
  return {
    done,
    stop: () => {
      stopped = true;
    },
  };
}
