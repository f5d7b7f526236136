import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * BlueZ modelled by python-dbusmock's `bluez5` template on a private dbus-daemon used as the system bus, so the
 * production Bluetooth check runs the real `busctl` / `gdbus` against it. With no adapter added the object manager
 * lists none; `addAdapter` creates one that is powered; `setPowered(false)` turns it off. `withoutBluez` starts
 * the bus only (no org.bluez on it: bluetoothd not running).
 */
export interface BluezModel {
  env: NodeJS.ProcessEnv & { DBUS_SYSTEM_BUS_ADDRESS: string };
  addAdapter(name?: string, alias?: string): Promise<void>;
  setPowered(name: string, on: boolean): Promise<void>;
  stop(): Promise<void>;
}

export async function startBluezModel(options: { withoutBluez?: boolean } = {}): Promise<BluezModel> {
  const bus = spawn('dbus-daemon', ['--session', '--nofork', '--print-address'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const address = await firstLine(
    bus,
    'dbus-daemon did not print its address (is the dbus package installed?)',
  );
  // Only the system bus is pointed at the model; the session bus (the keyring's) is left alone.
  const env = { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: address };
  let mock: ChildProcess | null = null;
  const stop = async () => {
    mock?.kill();
    bus.kill();
  };
  if (!options.withoutBluez) {
    mock = spawn('/usr/bin/python3', ['-m', 'dbusmock', '--system', '--template', 'bluez5'], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    mock.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    for (let i = 0; ; i++) {
      try {
        await run('gdbus', ['introspect', '--system', '-d', 'org.bluez', '-o', '/org/bluez'], { env });
        break;
      } catch (e) {
        if (i > 50 || mock.exitCode !== null) {
          await stop();
          throw new Error(
            `the BlueZ model did not start (apt-get install -y python3-dbusmock): ${stderr || String(e)}`,
            { cause: e },
          );
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
  return {
    env,
    addAdapter: async (name = 'hci0', alias = 'test-computer') =>
      void (await run(
        'gdbus',
        [
          'call',
          '--system',
          '-d',
          'org.bluez',
          '-o',
          '/org/bluez',
          '-m',
          'org.bluez.Mock.AddAdapter',
          name,
          alias,
        ],
        { env },
      )),
    setPowered: async (name, on) =>
      void (await run(
        'gdbus',
        [
          'call',
          '--system',
          '-d',
          'org.bluez',
          '-o',
          `/org/bluez/${name}`,
          '-m',
          'org.freedesktop.DBus.Properties.Set',
          'org.bluez.Adapter1',
          'Powered',
          `<${on}>`,
        ],
        { env },
      )),
    stop,
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
