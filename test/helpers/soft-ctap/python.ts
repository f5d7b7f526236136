import { execFile, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BRIDGE = fileURLToPath(new URL('./fido2_bridge.py', import.meta.url));

/**
 * Finds a Python that can import fido2. Debian's python3-fido2 installs into the system interpreter's
 * dist-packages, which a version manager's `python3` shim may hide; PASSKEY_DESK_PYTHON overrides.
 */
export function findPythonWithFido2(): string | null {
  const candidates = [process.env['PASSKEY_DESK_PYTHON'], 'python3', '/usr/bin/python3'].filter(
    (c): c is string => Boolean(c),
  );
  for (const python of candidates) {
    try {
      const out = execFileSync(python, ['-c', 'import fido2; print(fido2.__version__)'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      if (out.trim()) return python;
    } catch {
      // try the next one
    }
  }
  return null;
}

export type BridgeResult = Record<string, unknown> & { error?: string; status?: number };

export function runBridge(python: string, address: string, ...args: string[]): Promise<BridgeResult> {
  return new Promise((resolve, reject) => {
    execFile(python, [BRIDGE, address, ...args], { timeout: 20_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`python bridge failed: ${err.message}\n${stderr}`));
      try {
        resolve(JSON.parse(stdout) as BridgeResult);
      } catch {
        reject(new Error(`python bridge printed no JSON: ${stdout}\n${stderr}`));
      }
    });
  });
}
