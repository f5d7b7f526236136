/** The RP IDs the vault creates, imports and signs for: only ones a site could own, as browsers require. */
import { describe, expect, it } from 'vitest';
import { checkRpId } from '../../src/main/stores/vault/origin';

const refusal = (rpId: string): string | null => {
  try {
    checkRpId(rpId);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
};

describe('checkRpId', () => {
  it.each([
    'example.com',
    'login.example.co.uk',
    'me.github.io',
    'localhost',
    'app.localhost',
    'site0.example',
  ])('takes %s', (rpId) => expect(refusal(rpId)).toBeNull());

  it.each(['com', 'co.uk', 'github.io', '192.168.1.1', '10.0.0.1'])(
    'refuses %s: no one site owns it',
    (rpId) => expect(refusal(rpId)).toContain('is a public suffix or an address'),
  );

  it.each(['Example.com', 'exa mple.com', '-bad.example', 'bad_name.example', ''])('refuses %j', (rpId) =>
    expect(refusal(rpId)).toContain('is not a valid RP ID'),
  );
});
