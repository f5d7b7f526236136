import { execFile, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/passkey-desk.js', import.meta.url));
let built = false;

/** Builds the CLI bundle once per test process, so tests run exactly what `bin/passkey-desk.js` runs. */
export function buildCli(): void {
  if (built) return;
  execFileSync(process.execPath, ['scripts/build.mjs', 'cli'], { cwd: root, stdio: 'inherit' });
  built = true;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `passkey-desk ARGS` as a real process with the given environment (PASSKEY_DESK_HOME always set). */
export function runCli(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [bin, ...args],
      { env, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}
