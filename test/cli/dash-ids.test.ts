import { describe, expect, it } from 'vitest';
import { shieldDashIds } from '../../src/cli/dashIds';

describe('credential IDs that start with a dash', () => {
  const ids = ['-pkqEAbaOt2zDsglQQXNj_', '--AAECAwQFBgcICQoLDA0ODw', '-hXYZ0123456789abcdef'];

  it('are hidden from the option parser and given back, in arguments and option values', () => {
    const argv = ['keys', 'rename', ids[0]!, '--user-name', 'ana', '--pin-stdin', '--only', ids[1]!, ids[2]!];
    const { args, restore } = shieldDashIds(argv);
    expect(args.filter((a) => a.startsWith('-'))).toEqual(['--user-name', '--pin-stdin', '--only']);
    expect(args.map(restore)).toEqual(argv);
    expect(restore([args[7], args[8]])).toEqual([ids[1], ids[2]]);
  });

  it("are given back in the parser's own error messages", () => {
    const { args, restoreText } = shieldDashIds([ids[0]!, ids[1]!]);
    expect(restoreText(`error: unknown command '${args[0]}' (also ${args[1]})`)).toBe(
      `error: unknown command '${ids[0]}' (also ${ids[1]})`,
    );
  });

  it('leaves options, short flags, plain words and everything after -- alone', () => {
    const argv = ['--help', '-h', '-V', '--json', '--display-name', 'Ana', 'AAAA', '--', '--into-vault'];
    const { args, restore } = shieldDashIds(argv);
    expect(args).toEqual(argv);
    expect(restore('AAAA')).toBe('AAAA');
    expect(restore(undefined)).toBeUndefined();
  });
});
