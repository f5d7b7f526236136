import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSecurityKeyProvider } from '../../src/main/stores/security-key';
import { loadState } from '../helpers/soft-ctap/state';

const SERVE = join(import.meta.dirname, '..', 'helpers', 'soft-ctap', 'serve.ts');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGTERM');
});

function serve(file: string): Promise<{ address: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE, file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n') && line) resolve({ address: line.trim(), child });
    });
    child.once('exit', (code) => reject(new Error(`serve.ts exited with ${code}`)));
  });
}

describe('serve.ts: a simulated key from a JSON file, for the CLI and renderer end-to-end tests', () => {
  it('creates a default key, serves it on 127.0.0.1, and writes changes back to the file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pkd-sim-')), 'key.json');
    const { address, child } = await serve(file);
    expect(address).toMatch(/^127\.0\.0\.1:\d+$/);
    const provider = createSecurityKeyProvider({ env: { PASSKEY_DESK_FAKE_SECURITY_KEY: address } });
    const [store] = await provider.stores();
    const list = await store!.list({ pin: '123456' });
    expect(list.map((p) => p.rpId).sort()).toEqual(['example.com', 'example.com', 'github.com']);
    await store!.delete(list[0]!.credentialId, { pin: '123456' });
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    expect(loadState(file).credentials).toHaveLength(2);
    // Restarted from the file, the key still has two passkeys.
    const again = await serve(file);
    const [store2] = await createSecurityKeyProvider({
      env: { PASSKEY_DESK_FAKE_SECURITY_KEY: again.address },
    }).stores();
    expect(await store2!.list({ pin: '123456' })).toHaveLength(2);
  });

  it('an address that is not on 127.0.0.1 is refused when used, not when the provider is built', async () => {
    const provider = createSecurityKeyProvider({ env: { PASSKEY_DESK_FAKE_SECURITY_KEY: '10.0.0.1:5000' } });
    expect(await provider.stores()).toEqual([]);
    await expect(provider.listKeys()).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringMatching(/only the loopback address/),
    });
  });
});
