import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  hardenRendererHtml,
  metaPolicy,
  policyForBuiltHtml,
  securityHeaders,
  sha256Source,
} from '../../src/main/csp';

const BUNDLE = 'console.log("passkey desk")';
const VITE_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <title>Passkey Desk</title>
    <script type="module" crossorigin src="/assets/index-Dx1.js"></script>
    <link rel="stylesheet" crossorigin href="/assets/index-Cz2.css">
  </head>
  <body><div id="root"></div></body>
</html>`;
const read = (src: string) => {
  if (src !== '/assets/index-Dx1.js') throw new Error(`unexpected ${src}`);
  return BUNDLE;
};

describe('renderer CSP', () => {
  it('allows scripts by hash only, and closes everything else', () => {
    const policy = contentSecurityPolicy([sha256Source(BUNDLE)]);
    expect(policy).toBe(
      `default-src 'none'; script-src ${sha256Source(BUNDLE)}; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'none'; ` +
        "base-uri 'none'; form-action 'none'; object-src 'none'; require-trusted-types-for 'script'; trusted-types 'none'",
    );
    expect(policy).not.toMatch(/unsafe-|script-src[^;]*'self'|\*/);
  });

  it('refuses a policy without hashes or with a non-hash source', () => {
    expect(() => contentSecurityPolicy([])).toThrow(/no script hashes/);
    expect(() => contentSecurityPolicy(["'self'"])).toThrow(/not a quoted hash source/);
    expect(() => contentSecurityPolicy(["'sha256-abc' 'unsafe-inline'"])).toThrow();
  });

  it('passes Google CSP Evaluator (what Electronegativity runs) with no high or medium, certain or maybe, finding', () => {
    const csp = createRequire(import.meta.url)('@doyensec/csp-evaluator') as {
      CspParser: new (policy: string) => { csp: unknown };
      CspEvaluator: new (
        csp: unknown,
        version: unknown,
      ) => { evaluate(): { severity: number; description: string }[] };
      Version: { CSP3: unknown };
      severities: Record<string, number>;
    };
    const findings = new csp.CspEvaluator(
      new csp.CspParser(contentSecurityPolicy([sha256Source(BUNDLE)])).csp,
      csp.Version.CSP3,
    ).evaluate();
    const bad = new Set(['HIGH', 'MEDIUM', 'HIGH_MAYBE', 'MEDIUM_MAYBE'].map((k) => csp.severities[k]));
    expect(findings.filter((f) => bad.has(f.severity)).map((f) => f.description)).toEqual([]);
    // And the control: the policy this replaces is flagged.
    const weak = new csp.CspEvaluator(
      new csp.CspParser("default-src 'none'; script-src 'self'; object-src 'none'; base-uri 'none'").csp,
      csp.Version.CSP3,
    ).evaluate();
    expect(weak.some((f) => bad.has(f.severity))).toBe(true);
  });

  it('hardens a Vite-built index.html: integrity on the script, the meta policy first in <head>', () => {
    const html = hardenRendererHtml(VITE_HTML, read);
    const integrity = sha256Source(BUNDLE).slice(1, -1);
    expect(html).toContain(
      `<script integrity="${integrity}" type="module" crossorigin src="/assets/index-Dx1.js"></script>`,
    );
    expect(html.indexOf('http-equiv="Content-Security-Policy"')).toBeLessThan(html.indexOf('<script'));
    expect(metaPolicy(html)).toBe(contentSecurityPolicy([sha256Source(BUNDLE)]));
    // Idempotent: a second pass replaces the meta tag rather than adding one.
    expect(hardenRendererHtml(html, read)).toBe(html);
  });

  it('refuses inline scripts at build time', () => {
    expect(() =>
      hardenRendererHtml(VITE_HTML.replace('</head>', '<script>window.x=1</script></head>'), read),
    ).toThrow(/inline <script>/);
  });

  it('serves the policy the built page calls for, and refuses a page that was altered or built without hashes', () => {
    const html = hardenRendererHtml(VITE_HTML, read);
    expect(policyForBuiltHtml(html, read)).toBe(metaPolicy(html));
    expect(() => policyForBuiltHtml(html, () => `${BUNDLE};alert(1)`)).toThrow(
      /hashes to .* but index.html expects/,
    );
    expect(() => policyForBuiltHtml(VITE_HTML, read)).toThrow(/no integrity attribute/);
    expect(() => policyForBuiltHtml(html.replace("'none'; script-src", "'self'; script-src"), read)).toThrow(
      /meta CSP differs/,
    );
    expect(() =>
      policyForBuiltHtml(html.replace('</body>', '<script src="/x.js"></script></body>'), read),
    ).toThrow(/no integrity/);
  });

  it('sends nosniff and the policy on every response', () => {
    expect(securityHeaders('p')).toMatchObject({
      'Content-Security-Policy': 'p',
      'X-Content-Type-Options': 'nosniff',
    });
  });
});
