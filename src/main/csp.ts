import { createHash } from 'node:crypto';

/**
 * The renderer's Content Security Policy, and the build/serve helpers that keep it true.
 *
 * Scripts are allowed by hash, not by origin. Chromium matches a `'sha256-…'` source against an external
 * script whose `integrity` attribute carries the same hash (CSP3), so the policy names the exact bundle we
 * built: an injected `<script src>` of any origin — our own included — does not run. `script-src 'self'` would
 * allow any script file served by our protocol, which is why Electronegativity's CSP check (Google's CSP
 * Evaluator) rates it "maybe weak". A hash is also origin-free, so the same policy works on `app://passkey-desk`
 * and on the renderer end-to-end server's `http://127.0.0.1:<port>`.
 *
 * Consequence for the renderer build: one JavaScript entry file and no code splitting. A module a hashed script
 * imports is fetched without integrity metadata and is blocked (checked in Debian's Chromium: the whole module
 * graph then fails to run).
 */
const BASE_DIRECTIVES: readonly (readonly [string, string])[] = Object.freeze([
  ['default-src', "'none'"],
  // script-src is inserted here, from the built scripts' hashes.
  ['style-src', "'self'"],
  ['img-src', "'self' data:"],
  ['font-src', "'self'"],
  ['connect-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['object-src', "'none'"],
  // DOM XSS sinks (innerHTML, eval-like APIs) refuse plain strings; React never needs them.
  ['require-trusted-types-for', "'script'"],
  ['trusted-types', "'none'"],
]);

const HASH_SOURCE = /^'sha(256|384|512)-[A-Za-z0-9+/]+={0,2}'$/;

/** `'sha256-<base64>'` of the exact bytes a script file holds: the CSP source and, unquoted, its `integrity`. */
export function sha256Source(bytes: Uint8Array | string): string {
  return `'sha256-${createHash('sha256').update(bytes).digest('base64')}'`;
}

/** The policy for a renderer whose scripts hash to `scriptSources` (each `'sha256-…'`). */
export function contentSecurityPolicy(scriptSources: readonly string[]): string {
  if (scriptSources.length === 0)
    throw new Error('contentSecurityPolicy: no script hashes; expected the built renderer entry script');
  for (const source of scriptSources) {
    if (!HASH_SOURCE.test(source))
      throw new Error(
        `contentSecurityPolicy: ${JSON.stringify(source)} is not a quoted hash source such as 'sha256-…'`,
      );
  }
  const [first, ...rest] = BASE_DIRECTIVES;
  const directives = [first, ['script-src', [...new Set(scriptSources)].join(' ')] as const, ...rest];
  return directives.map((d) => (d ? `${d[0]} ${d[1]}` : '')).join('; ');
}

/** Headers on every `app:` response (and on the e2e server's renderer responses). */
export function securityHeaders(policy: string): Record<string, string> {
  return {
    'Content-Security-Policy': policy,
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Referrer-Policy': 'no-referrer',
    // Files change only with an update; no-cache revalidates so an updated app never runs a stale bundle.
    'Cache-Control': 'no-cache',
  };
}

interface ScriptTag {
  tag: string;
  src: string | null;
  integrity: string | null;
}

const SCRIPT_TAG = /<script\b[^>]*>/gi;
const META_CSP = /<meta\b[^>]*http-equiv\s*=\s*["']?content-security-policy["']?[^>]*>/gi;

function attribute(tag: string, name: string): string | null {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return match ? (match[1] ?? match[2] ?? match[3] ?? '') : null;
}

function scriptTags(html: string): ScriptTag[] {
  return [...html.matchAll(SCRIPT_TAG)].map((m) => ({
    tag: m[0],
    src: attribute(m[0], 'src'),
    integrity: attribute(m[0], 'integrity'),
  }));
}

/** The CSP of the HTML's `<meta http-equiv="Content-Security-Policy">`, or null (several: an error). */
export function metaPolicy(html: string): string | null {
  const metas = [...html.matchAll(META_CSP)];
  if (metas.length > 1)
    throw new Error(`index.html has ${metas.length} Content-Security-Policy meta tags; expected one`);
  const meta = metas[0];
  return meta
    ? (attribute(meta[0], 'content') ?? '')
        .replace(/&#39;|&apos;/g, "'")
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&')
    : null;
}

/**
 * For the renderer's build (a Vite `transformIndexHtml` hook, `order: 'post'`, `apply: 'build'`): adds an
 * `integrity` attribute to each external script and puts the matching CSP in a `<meta http-equiv>` tag early in
 * `<head>` (it must precede the scripts it governs; Electronegativity's static scan reads it there).
 * `readScript(src)` returns the bytes the browser will receive for that `src` (in Vite: the chunk's code).
 * Inline scripts are refused: the policy would block them anyway, and a silent failure at run time is worse.
 */
export function hardenRendererHtml(html: string, readScript: (src: string) => Uint8Array | string): string {
  const sources: string[] = [];
  let out = html.replace(SCRIPT_TAG, (tag) => {
    const src = attribute(tag, 'src');
    if (src === null)
      throw new Error(
        'index.html has an inline <script>; the CSP allows only the hashed bundle. Move it into the bundle.',
      );
    const source = sha256Source(readScript(src));
    sources.push(source);
    const integrity = source.slice(1, -1);
    const existing = attribute(tag, 'integrity');
    if (existing !== null && existing !== integrity)
      throw new Error(`script ${src} has integrity ${existing}, but its bytes hash to ${integrity}`);
    return existing !== null ? tag : tag.replace(/^<script\b/i, `<script integrity="${integrity}"`);
  });
  const meta = `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(sources)}">`;
  // Drop an earlier policy with the whitespace before it, so hardening twice gives the same page.
  out = out.replace(new RegExp(`\\s*${META_CSP.source}`, 'gi'), '');
  // Right after <meta charset> (which must stay in the first bytes) or else first in <head>; before any script.
  const anchor = /<meta\s+charset\s*=[^>]*>/i.test(out) ? /<meta\s+charset\s*=[^>]*>/i : /<head\b[^>]*>/i;
  if (!anchor.test(out)) throw new Error('index.html has no <head>; expected the Vite-built page');
  const withMeta = out.replace(anchor, (tag) => `${tag}\n    ${meta}`);
  if (withMeta.indexOf(meta) > withMeta.search(/<script\b/i) && /<script\b/i.test(withMeta))
    throw new Error('index.html has a <script> before its <meta charset>; expected the Vite-built page');
  return withMeta;
}

/**
 * The policy to serve with a built `index.html`, checked against the files: every external script must carry
 * the `integrity` the build gave it and its file must still hash to it, and the meta policy (when present) must
 * be the policy we serve. Throws with what differs, so a renderer built without `hardenRendererHtml`, or edited
 * after the build, fails loudly at start instead of showing a blank window.
 */
export function policyForBuiltHtml(html: string, readScript: (src: string) => Uint8Array | string): string {
  const tags = scriptTags(html);
  if (tags.length === 0) throw new Error('index.html loads no script; expected the Vite-built renderer');
  const sources = tags.map(({ src, integrity }) => {
    if (src === null)
      throw new Error('index.html has an inline <script>; the CSP allows only the hashed bundle');
    if (integrity === null)
      throw new Error(
        `script ${src} has no integrity attribute; build the renderer with hardenRendererHtml (src/main/csp.ts)`,
      );
    const actual = sha256Source(readScript(src));
    if (`'${integrity}'` !== actual)
      throw new Error(`script ${src} hashes to ${actual.slice(1, -1)}, but index.html expects ${integrity}`);
    return actual;
  });
  const policy = contentSecurityPolicy(sources);
  const meta = metaPolicy(html);
  if (meta !== null && meta !== policy)
    throw new Error(
      `index.html's meta CSP differs from the policy its scripts call for.\n  meta:     ${meta}\n  expected: ${policy}`,
    );
  return policy;
}
