import { describe, expect, it } from 'vitest';
import { createTouchIdVerifier } from '../../src/main/electron/touch-id';

/** A fake of the two systemPreferences methods (touch-id.ts imports Electron's types only, so no runtime is needed). */
function prefs(canPrompt: boolean, prompt: (reason: string) => Promise<void>) {
  const reasons: string[] = [];
  return {
    reasons,
    value: {
      canPromptTouchID: () => canPrompt,
      promptTouchID: (reason: string) => {
        reasons.push(reason);
        return prompt(reason);
      },
    },
  };
}

describe('Touch ID verifier', () => {
  it('verifies when Touch ID succeeds, passing our reason to macOS', async () => {
    const p = prefs(true, async () => undefined);
    const verifier = createTouchIdVerifier(p.value);
    expect(await verifier.available()).toEqual({ ok: true, reason: null });
    await verifier.verify('sign in to example.com with your vault passkey');
    expect(p.reasons).toEqual(['sign in to example.com with your vault passkey']);
  });

  it('reports unavailable and refuses (never skips) when Touch ID cannot prompt', async () => {
    const p = prefs(false, async () => undefined);
    const verifier = createTouchIdVerifier(p.value);
    expect((await verifier.available()).ok).toBe(false);
    await expect(verifier.verify('x')).rejects.toMatchObject({ code: 'USER_VERIFICATION_UNAVAILABLE' });
    expect(p.reasons).toEqual([]);
  });

  it.each([
    ['Canceled by user.', 'USER_CANCELLED'],
    ['Fallback authentication mechanism selected.', 'USER_CANCELLED'],
    ['Biometry is locked out.', 'USER_VERIFICATION_UNAVAILABLE'],
    ['Application retry limit exceeded.', 'USER_VERIFICATION_FAILED'],
  ])('maps "%s" to %s', async (message, code) => {
    const verifier = createTouchIdVerifier(prefs(true, () => Promise.reject(new Error(message))).value);
    await expect(verifier.verify('x')).rejects.toMatchObject({ code });
  });
});
