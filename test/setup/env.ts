import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Every test process gets its own data folder: tests never touch a real user's Passkey Desk data.
process.env.PASSKEY_DESK_HOME ??= mkdtempSync(join(tmpdir(), 'pkd-test-'));
