/**
 * Bluetooth adapters on Linux from BlueZ over the system D-Bus (org.bluez's ObjectManager), read with `busctl`
 * (systemd) or, where that is missing, `gdbus` (GLib). The bus address comes from the environment the caller
 * passes (DBUS_SYSTEM_BUS_ADDRESS), like every D-Bus client: that is how a private bus is used.
 */
import { execFile } from 'node:child_process';

export interface Adapter {
  path: string;
  name: string | null;
  powered: boolean;
}

export type BluezState =
  | { kind: 'adapters'; adapters: Adapter[]; tool: BluezTool }
  | { kind: 'no-service'; detail: string; tool: BluezTool }
  | { kind: 'no-bus'; detail: string; tool: BluezTool }
  | { kind: 'no-tool'; detail: string };

export type BluezTool = 'busctl' | 'gdbus';

export interface BluezOptions {
  env?: NodeJS.ProcessEnv;
  /** Tried in order; the first one installed answers. */
  tools?: readonly BluezTool[];
  timeoutMs?: number;
}

const ARGS: Record<BluezTool, string[]> = {
  busctl: [
    '--system',
    '--json=short',
    'call',
    'org.bluez',
    '/',
    'org.freedesktop.DBus.ObjectManager',
    'GetManagedObjects',
  ],
  gdbus: [
    'call',
    '--system',
    '--dest',
    'org.bluez',
    '--object-path',
    '/',
    '--method',
    'org.freedesktop.DBus.ObjectManager.GetManagedObjects',
  ],
};

export async function readBluez(options: BluezOptions = {}): Promise<BluezState> {
  const missing: string[] = [];
  for (const tool of options.tools ?? ['busctl', 'gdbus']) {
    const r = await run(tool, ARGS[tool], options.env ?? process.env, options.timeoutMs ?? 5000);
    if (r.kind === 'missing') {
      missing.push(tool);
      continue;
    }
    if (r.kind === 'failed') return classifyFailure(tool, r.stderr);
    try {
      return {
        kind: 'adapters',
        adapters: tool === 'busctl' ? parseBusctl(r.stdout) : parseGdbus(r.stdout),
        tool,
      };
    } catch (e) {
      return {
        kind: 'no-bus',
        detail: `could not read ${tool}'s answer: ${e instanceof Error ? e.message : String(e)}`,
        tool,
      };
    }
  }
  return { kind: 'no-tool', detail: `neither ${missing.join(' nor ')} is installed` };
}

function classifyFailure(tool: BluezTool, stderr: string): BluezState {
  const detail = stderr.trim().split('\n')[0] ?? '';
  // The bus answered but nobody owns org.bluez: bluetoothd is not running (or not installed).
  if (
    /ServiceUnknown|not provided by any \.service|was not provided|Unit bluetooth\.service not found|NameHasNoOwner/i.test(
      stderr,
    )
  ) {
    return { kind: 'no-service', detail, tool };
  }
  return { kind: 'no-bus', detail: detail || `${tool} failed`, tool };
}

type Variant = { type: string; data: unknown };
type ManagedObjects = Record<string, Record<string, Record<string, Variant>>>;

/** `busctl --json=short` prints `{"type":"a{oa{sa{sv}}}","data":[{path: {iface: {prop: {type, data}}}}]}`. */
export function parseBusctl(stdout: string): Adapter[] {
  const parsed = JSON.parse(stdout) as { data?: unknown[] };
  const objects = (parsed.data?.[0] ?? {}) as ManagedObjects;
  const adapters: Adapter[] = [];
  for (const [path, ifaces] of Object.entries(objects)) {
    const props = ifaces['org.bluez.Adapter1'];
    if (!props) continue;
    const name = props.Alias?.data ?? props.Name?.data;
    adapters.push({
      path,
      name: typeof name === 'string' ? name : null,
      powered: props.Powered?.data === true,
    });
  }
  return adapters.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * `gdbus call` prints GVariant text: `({objectpath '/org/bluez/hci0': {'org.bluez.Adapter1': {'Powered': <true>, …}}},)`.
 * Object paths start with `/` and interface names do not, so the text is cut at each path key.
 */
export function parseGdbus(stdout: string): Adapter[] {
  if (!stdout.trim().startsWith('(')) throw new Error('not a GVariant tuple');
  const keys = [...stdout.matchAll(/'(\/[^']*)': \{/g)];
  const adapters: Adapter[] = [];
  keys.forEach((m, i) => {
    const chunk = stdout.slice(m.index, keys[i + 1]?.index ?? stdout.length);
    const at = chunk.indexOf("'org.bluez.Adapter1': {");
    if (at < 0) return;
    const props = chunk.slice(at);
    const name = /'Alias': <'([^']*)'>/.exec(props)?.[1] ?? /'Name': <'([^']*)'>/.exec(props)?.[1] ?? null;
    adapters.push({ path: m[1]!, name, powered: /'Powered': <true>/.test(props) });
  });
  return adapters.sort((a, b) => a.path.localeCompare(b.path));
}

type RunResult = { kind: 'ok'; stdout: string } | { kind: 'failed'; stderr: string } | { kind: 'missing' };

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeout: number): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(cmd, args, { env, timeout, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') return resolve({ kind: 'missing' });
      if (error) return resolve({ kind: 'failed', stderr: String(stderr) || error.message });
      resolve({ kind: 'ok', stdout: String(stdout) });
    });
  });
}
