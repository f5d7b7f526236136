/**
 * A small deterministic string hash (cyrb53) for ids that must be stable across runs and processes. Not a
 * security boundary: a plan id only lets the UI and the journal refer to "this exact plan".
 */
export function stableHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}

/**
 * An object's contents as one comparable string, whatever order its fields arrived in: for the rare ties that
 * input order must not break (a store listing one credential twice, a server listing one ID twice).
 */
export function canonicalJson(value: object): string {
  return JSON.stringify(value, Object.keys(value).sort());
}
