/** What the command line prints for a request the contract refuses: options and arguments, not channel names. */
import { describe, expect, it } from 'vitest';
import { cliMessage, exitCodeFor } from '../../src/cli/errors';

describe('cliMessage', () => {
  it('names options and arguments instead of the channel and its fields', () => {
    expect(
      cliMessage(
        'Invalid vault.create request — rpId: a domain name such as example.com; userName: Required.',
      ),
    ).toBe('Invalid input — --rp-id: a domain name such as example.com; --user: Required (see --help).');
    expect(cliMessage('Invalid accounts.add request — serverUrl: an http(s) address.')).toBe(
      'Invalid input — the server address: an http(s) address (see --help).',
    );
    // A field the table does not know keeps its name; a nested path is named by its first part.
    expect(cliMessage('Invalid x.y request — overrides.0.guard: Invalid enum value.')).toBe(
      'Invalid input — overrides.0.guard: Invalid enum value (see --help).',
    );
  });

  it('names a positional argument where the command takes the field as one', () => {
    expect(cliMessage('Invalid guided.mark request — rpId: an RP ID is a lowercase domain name.')).toBe(
      'Invalid input — SITE: an RP ID is a lowercase domain name (see --help).',
    );
  });

  it('leaves every other message alone', () => {
    for (const m of ['No passkey here.', 'The vault file is damaged: Invalid vault.create request — x'])
      expect(cliMessage(m)).toBe(m);
  });

  it('keeps bad input at exit code 2', () => {
    expect(exitCodeFor('INVALID_INPUT')).toBe(2);
  });
});
