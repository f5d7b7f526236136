import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPolkitVerifier } from '../../src/main/verify/polkit';
import { startPolkitModel } from '../helpers/polkit';
import type { PolkitModel } from '../helpers/polkit';

describe('polkit user verification (real pkcheck against a D-Bus model of polkitd)', () => {
  let polkit: PolkitModel;
  beforeAll(async () => {
    polkit = await startPolkitModel();
  });
  afterAll(async () => polkit.stop());

  it('passes when polkit authorizes the action and fails with USER_VERIFICATION_FAILED when it does not', async () => {
    const verifier = createPolkitVerifier({ env: { ...process.env, ...polkit.env } });
    await polkit.deny();
    await expect(verifier.verify('sign in to example.com')).rejects.toMatchObject({
      code: 'USER_VERIFICATION_FAILED',
    });
    await polkit.allow();
    await expect(verifier.verify('sign in to example.com')).resolves.toBeUndefined();
    expect(await verifier.available()).toEqual({ ok: true, reason: null });
  });

  it('says polkit is unreachable, not that the user failed, when there is no authority', async () => {
    const verifier = createPolkitVerifier({
      env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: 'unix:path=/nonexistent/bus' },
    });
    await expect(verifier.verify('x')).rejects.toMatchObject({ code: 'USER_VERIFICATION_UNAVAILABLE' });
    expect((await verifier.available()).ok).toBe(false);
  });
});
