/**
 * Runs a simulated FIDO2 key from a JSON state file until killed, saving the state back after each session.
 *
 *   npx tsx test/helpers/soft-ctap/serve.ts key.json          # prints "127.0.0.1:PORT" on stdout
 *   PASSKEY_DESK_FAKE_SECURITY_KEY=127.0.0.1:PORT passkey-desk keys credentials
 *
 * A missing file is created with a CTAP 2.1 key (PIN 123456) holding three passkeys. For manual runs and the
 * renderer end-to-end tests; the vitest suites start the server in-process instead.
 */
import { existsSync } from 'node:fs';
import { startSoftKeyServer } from './socket-server';
import { loadState, newKeyState, saveState, seedCredential } from './state';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: serve.ts <state.json>\n');
  process.exit(2);
}
if (!existsSync(file)) {
  const state = newKeyState();
  seedCredential(state, { rpId: 'example.com', userName: 'alice@example.com', userDisplayName: 'Alice' });
  seedCredential(state, { rpId: 'example.com', userName: 'bob@example.com', userDisplayName: 'Bob' });
  seedCredential(state, { rpId: 'github.com', userName: 'alice', userDisplayName: 'Alice A.' });
  saveState(file, state);
}
const server = await startSoftKeyServer(loadState(file), { onChange: (s) => saveState(file, s) });
process.stdout.write(`${server.address}\n`);
const stop = (): void => {
  saveState(file, server.device.state);
  void server.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
