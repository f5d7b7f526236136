import { spawn, execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { POLKIT_ACTION } from '../../src/main/verify/polkit';

const run = promisify(execFile);

/**
 * A polkit authority modelled by python-dbusmock's `polkitd` template on a private D-Bus (used as the system
 * bus), so the production PolkitVerifier runs the real `pkcheck` binary against it. `allow()` / `deny()` set
 * whether the action is authorized, standing in for the user passing or failing the password prompt.
 */
export interface PolkitModel {
  env: { DBUS_SYSTEM_BUS_ADDRESS: string };
  allow(): Promise<void>;
  deny(): Promise<void>;
  stop(): Promise<void>;
}

export async function startPolkitModel(): Promise<PolkitModel> {
  const bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const address = await firstLine(
    bus,
    'dbus-daemon did not print its address (is the dbus package installed?)',
  );
  const env = { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: address, DBUS_SESSION_BUS_ADDRESS: address };
  const mock = spawn('/usr/bin/python3', ['-m', 'dbusmock', '--system', '--template', 'polkitd'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  mock.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const call = (method: string, arg: string) =>
    run(
      'gdbus',
      [
        'call',
        '--system',
        '-d',
        'org.freedesktop.PolicyKit1',
        '-o',
        '/org/freedesktop/PolicyKit1/Authority',
        '-m',
        `org.freedesktop.DBus.Mock.${method}`,
        arg,
      ],
      { env },
    );
  for (let i = 0; ; i++) {
    try {
      await call('SetAllowed', '[]');
      break;
    } catch (e) {
      if (i > 50 || mock.exitCode !== null)
        throw new Error(
          `the polkitd model did not start (python3-dbusmock installed?): ${stderr || String(e)}`,
          { cause: e },
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    env: { DBUS_SYSTEM_BUS_ADDRESS: address },
    allow: async () => void (await call('SetAllowed', `['${POLKIT_ACTION}']`)),
    deny: async () => void (await call('SetAllowed', '[]')),
    stop: async () => {
      mock.kill();
      bus.kill();
    },
  };
}

function firstLine(child: ChildProcess, failure: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', (line) => {
      rl.close();
      resolve(line.trim());
    });
    child.once('exit', () => reject(new Error(failure)));
    child.once('error', (e) => reject(new Error(`${failure}: ${e.message}`)));
  });
}
