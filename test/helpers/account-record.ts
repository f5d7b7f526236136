import type { AccountRecord } from '../../src/main/accounts/types';

/** A connected-account record as accounts.json holds it, for tests that write or read that file directly. */
export function accountRecord(id: string, userName: string): AccountRecord {
  return {
    id,
    connector: 'reference-server',
    serverUrl: 'http://127.0.0.1:8080',
    rpId: 'localhost',
    rpName: null,
    origin: 'http://localhost:8080',
    enroll: null,
    manage: null,
    endpoints: {
      registrationOptions: '/a',
      registrationVerify: '/b',
      authenticationOptions: '/c',
      authenticationVerify: '/d',
      passkeys: '/e',
      acceptedCredentials: '/f',
      currentUser: '/g',
      signOut: '/h',
      desktopAuthorize: null,
      desktopToken: null,
    },
    userName,
    userDisplayName: null,
    userHandle: 'AAAA',
    addedAt: '2026-01-01T00:00:00.000Z',
  };
}
