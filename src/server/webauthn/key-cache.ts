/**
 * Parsed public keys, cached per credential ID so that a sign-in does no CBOR decode and no key import.
 * The entry remembers the stored key text it came from: if a row ever changes, the stale entry is ignored.
 * Bounded: when full, the least recently used entries go first (Map keeps insertion order; a hit re-inserts).
 * An entry costs about 4 KB of native memory (a DER-imported EC key, see cose-key.ts: about 3.5 KB, and 0.7 KB
 * more once it has verified): the default bound of 20,000 keys is about 80 MB; a miss costs one key import (about
 * 90 µs) and nothing else.
 */
import { fromBase64url } from '../../shared/base64url';
import type { FastKey } from './cose-key';
import { coseToFastKey } from './cose-key';

/** Keys kept by default (KEY_CACHE_ENTRIES for `npm run server`). */
export const DEFAULT_KEY_CACHE_ENTRIES = 20_000;

export class KeyCache {
  private readonly entries = new Map<string, { publicKey: string; fast: FastKey }>();
  constructor(readonly capacity = DEFAULT_KEY_CACHE_ENTRIES) {}

  get(credentialId: string, publicKey: string): FastKey {
    const hit = this.entries.get(credentialId);
    if (hit && hit.publicKey === publicKey) {
      this.entries.delete(credentialId);
      this.entries.set(credentialId, hit);
      return hit.fast;
    }
    const fast = coseToFastKey(fromBase64url(publicKey));
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(credentialId, { publicKey, fast });
    return fast;
  }

  /** The cached key of a credential, whatever stored text it came from (the caller checks), without reordering. */
  peek(credentialId: string): FastKey | undefined {
    return this.entries.get(credentialId)?.fast;
  }

  forget(credentialId: string): void {
    this.entries.delete(credentialId);
  }

  get size(): number {
    return this.entries.size;
  }
}
