import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64url } from '../../src/shared/base64url';
import type { Passkey } from '../../src/shared/model';
import { buildCli, runCli } from '../helpers/cli';
import { startPolkitModel } from '../helpers/polkit';
import type { PolkitModel } from '../helpers/polkit';
import { bitwardenExport } from './helpers';

/** `passkey-desk import … --into-vault` as a real process: real keyring, real pkcheck against a polkit model. */
describe('passkey-desk import --into-vault', () => {
  let polkit: PolkitModel;
  let env: NodeJS.ProcessEnv;
  let work: string;
  beforeAll(async () => {
    buildCli();
    polkit = await startPolkitModel();
    await polkit.allow();
    work = await mkdtemp(join(tmpdir(), 'pkd-cli-move-'));
    env = { ...process.env, ...polkit.env };
  });
  afterAll(async () => polkit.stop());

  const freshHome = async () => ({ ...env, PASSKEY_DESK_HOME: await mkdtemp(join(work, 'home-')) });
  const vaultPasskeys = async (e: NodeJS.ProcessEnv) => {
    const r = await runCli(['inventory', '--json'], e);
    expect(r.code, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as Passkey[]).filter((p) => p.store === 'vault');
  };
  const writeExport = async (name: string, text: string) => {
    const path = join(work, name);
    await writeFile(path, text);
    return path;
  };

  it('asks to verify the user, and moves nothing when polkit refuses', async () => {
    const e = await freshHome();
    const file = await writeExport('bw-denied.json', bitwardenExport(3).text);
    await polkit.deny();
    try {
      const r = await runCli(['import', file, '--into-vault'], e);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^Imported Bitwarden export \(bw-denied\.json\): 3 passkey\(s\) as store export:[0-9a-f]{12}; none moved into the vault\.$/m,
      );
      expect(r.stderr).toMatch(
        /^passkey-desk: Nothing was moved into the vault from "bw-denied\.json" \(3 passkeys\): polkit did not authorize/m,
      );
      expect(r.stderr).not.toMatch(/^Moved /m);
    } finally {
      await polkit.allow();
    }
    expect(await vaultPasskeys(e)).toEqual([]);
    await expect(stat(join(e.PASSKEY_DESK_HOME, 'vault.json'))).rejects.toMatchObject({ code: 'ENOENT' });

    // Verified, the same command moves all three.
    const ok = await runCli(['import', file, '--into-vault'], e);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr.match(/^Moved \S+ into the vault\.$/gm)).toHaveLength(3);
    expect(await vaultPasskeys(e)).toHaveLength(3);
  });

  it('--only takes the credential ID as Bitwarden writes it: a UUID, or "b64." and base64url', async () => {
    const e = await freshHome();
    const raw = Uint8Array.from({ length: 20 }, (_, j) => 200 - j);
    const { ids, text } = bitwardenExport(3, (cred, i) => {
      if (i === 2) cred.credentialId = `b64.${toBase64url(raw)}`;
    });
    const file = await writeExport('bw-only.json', text);
    const uuid = ids[0]!;
    const r = await runCli(
      ['import', file, '--into-vault', '--only', uuid.toUpperCase(), `b64.${toBase64url(raw)}`, '--json'],
      e,
    );
    expect(r.code, r.stderr).toBe(0);
    const moved = (JSON.parse(r.stdout) as { moved: { credentialId: string; ok: boolean }[] }).moved;
    const uuidBytes = Buffer.from(uuid.replace(/-/g, ''), 'hex');
    expect(moved).toEqual([
      expect.objectContaining({ credentialId: toBase64url(uuidBytes), ok: true }),
      expect.objectContaining({ credentialId: toBase64url(raw), ok: true }),
    ]);
    expect((await vaultPasskeys(e)).map((p) => p.credentialId).sort()).toEqual(
      [toBase64url(uuidBytes), toBase64url(raw)].sort(),
    );

    const missing = await runCli(
      ['import', file, '--into-vault', '--only', '00000000-0000-4000-8000-000000000000'],
      e,
    );
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain(
      'passkey-desk: "bw-only.json" holds no passkey with credential ID 00000000-0000-4000-8000-000000000000. Give the ID as the file shows it',
    );
  });

  it('refuses an export whose user name is longer than vault create allows, and moves nothing', async () => {
    const e = await freshHome();
    const file = await writeExport(
      'bw-long.json',
      bitwardenExport(2, (cred, i) => {
        if (i === 1) cred.userName = 'x'.repeat(5 * 1024 * 1024);
      }).text,
    );
    const r = await runCli(['import', file, '--into-vault'], e);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^passkey-desk: Cannot import "bw-long\.json": items\[1\]\.login\.fido2Credentials\[0\]\.userName: is 5,242,880 characters long, and Passkey Desk keeps user names of at most 256 characters/,
    );
    expect(await vaultPasskeys(e)).toEqual([]);
    await expect(readFile(join(e.PASSKEY_DESK_HOME, 'vault.json'))).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});
