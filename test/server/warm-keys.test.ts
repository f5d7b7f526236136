/**
 * After start-up the server parses the most recently used credentials' keys in the background, up to the key
 * cache's size, so the first sign-ins after a restart do not each import a key. Sign-ins work meanwhile.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/start-server';
import { KeyCache } from '../../src/server/webauthn/key-cache';
import { warmKeyCache } from '../../src/server/webauthn/warm-keys';
import { SoftAuthenticator } from '../helpers/soft-authenticator';
import { signIn, signUp } from './support';

describe('warming the key cache', () => {
  it('parses the keys of the most recently used credentials, most recent last, up to the limit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pkd-warm-'));
    const sqlitePath = join(dir, 'db.sqlite');
    try {
      const first = await startServer({ sqlitePath, rateLimit: false, warmKeyCache: false });
      const users = ['ann', 'ben', 'cat'];
      const auths = users.map(() => new SoftAuthenticator());
      const ids: string[] = [];
      for (const [i, name] of users.entries()) ids.push((await signUp(first, auths[i]!, name)).credentialId);
      // ben signs in last: his is the most recently used credential.
      await signIn(first, auths[1]!);
      const db = first.db;

      const cache = new KeyCache(2);
      const warming = warmKeyCache(db, cache, cache.capacity);
      expect(await warming.done).toBe(2);
      // The two most recent: ben (used) and cat (created last); ann's is left out.
      expect(cache.peek(ids[1]!)).toBeDefined();
      expect(cache.peek(ids[2]!)).toBeDefined();
      expect(cache.peek(ids[0]!)).toBeUndefined();
      expect(cache.peek(ids[1]!)?.kind).toBe('es256');
      await first.close();

      // A restarted server warms by itself and signs in meanwhile and afterwards.
      const second = await startServer({ sqlitePath, rateLimit: false });
      try {
        expect((await signIn(second, auths[0]!)).credentialId).toBe(ids[0]);
        expect((await signIn(second, auths[2]!)).credentialId).toBe(ids[2]);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stops when asked, parsing no more keys', async () => {
    const server = await startServer({ rateLimit: false, warmKeyCache: false });
    try {
      for (let i = 0; i < 120; i++) await signUp(server, new SoftAuthenticator(), `user${i}`);
      const cache = new KeyCache();
      const warming = warmKeyCache(server.db, cache, cache.capacity);
      // Stopped before its first turn: nothing is parsed (a server closing right after start waits for nothing).
      warming.stop();
      expect(await warming.done).toBe(0);
      expect(cache.size).toBe(0);
    } finally {
      await server.close();
    }
  });
});
