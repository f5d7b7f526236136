/**
 * Bluetooth for signing in with a phone (hybrid, the QR code): a phone proves it is nearby over Bluetooth, so
 * without an adapter that is present and powered the QR code is missing or the scan never completes.
 * Linux: BlueZ over D-Bus. macOS: `system_profiler`'s report. Windows: not readable without WinRT — "unknown"
 * with how to check.
 */
import { execFile } from 'node:child_process';
import type { Check, DoctorContext, Evidence, Finding } from '../../shared/doctor';
import { finding } from '../../shared/doctor';
import { missingCase } from '../../shared/errors';
import type { BluezOptions, BluezState } from './bluez';
import { readBluez } from './bluez';

const WHY =
  'Signing in with a phone (the QR code) needs Bluetooth on this computer and on the phone: the phone must be near the computer.';
const CHECK = 'bluetooth' as const;

export function bluezFindings(state: BluezState): Finding[] {
  const base = { id: CHECK, check: CHECK };
  switch (state.kind) {
    case 'adapters': {
      const evidence: Evidence[] = [
        { label: 'Read from', value: `BlueZ over the system D-Bus (${state.tool})` },
      ];
      for (const a of state.adapters)
        evidence.push({
          label: `Adapter ${a.path.split('/').pop() ?? a.path}${a.name ? ` (${a.name})` : ''}`,
          value: a.powered ? 'present, powered on' : 'present, powered off',
        });
      if (state.adapters.length === 0) {
        evidence.push({ label: 'Adapters', value: 'none' });
        return [
          finding({
            ...base,
            verdict: 'problem',
            title: 'This computer has no Bluetooth adapter',
            explanation: `${WHY} BlueZ reports no adapter, so the phone option cannot work here.`,
            evidence,
            fix: {
              kind: 'steps',
              label: 'Get Bluetooth, or sign in another way',
              steps: [
                'Plug in a USB Bluetooth adapter (or enable it in the firmware settings if the computer has one).',
                'Or use a passkey on this computer, a security key, or a password manager instead of the phone.',
              ],
            },
            likelihood: 0.9,
          }),
        ];
      }
      if (!state.adapters.some((a) => a.powered)) {
        return [
          finding({
            ...base,
            verdict: 'problem',
            title: 'Bluetooth is turned off',
            explanation: `${WHY} The adapter is present but powered off.`,
            evidence,
            fix: {
              kind: 'steps',
              label: 'Turn Bluetooth on',
              steps: [
                'Open Settings → Bluetooth and switch it on (or run `bluetoothctl power on`).',
                'If it will not switch on, it may be blocked: `rfkill unblock bluetooth`.',
                'Turn Bluetooth on on the phone too.',
              ],
            },
            likelihood: 0.95,
          }),
        ];
      }
      return [
        finding({
          ...base,
          verdict: 'ok',
          title: 'Bluetooth is on',
          explanation: `${WHY} This computer's side is ready; check that the phone has Bluetooth on as well.`,
          evidence,
          likelihood: 0.9,
        }),
      ];
    }
    case 'no-service':
      return [
        finding({
          ...base,
          verdict: 'problem',
          title: 'The Bluetooth service is not running',
          explanation: `${WHY} No BlueZ service (bluetoothd) answers on the system bus, so nothing on this computer can use Bluetooth.`,
          evidence: [
            { label: 'System D-Bus', value: `reachable; org.bluez: ${state.detail || 'not running'}` },
          ],
          fix: {
            kind: 'steps',
            label: 'Start the Bluetooth service',
            steps: [
              'Run `systemctl start bluetooth` (install the bluez package if it is missing).',
              'Then turn Bluetooth on in Settings.',
            ],
          },
          likelihood: 0.8,
        }),
      ];
    case 'no-bus':
    case 'no-tool':
      return [
        unknownFinding(
          [{ label: 'System D-Bus', value: state.detail }],
          [
            'Open Settings → Bluetooth and check that it is on, or run `bluetoothctl show` and look for "Powered: yes".',
          ],
        ),
      ];
    default:
      return missingCase(state);
  }
}

function unknownFinding(evidence: Evidence[], steps: string[]): Finding {
  return finding({
    id: CHECK,
    check: CHECK,
    verdict: 'unknown',
    title: 'Bluetooth could not be checked',
    explanation: `${WHY} Passkey Desk could not ask the system whether Bluetooth is on.`,
    evidence,
    fix: { kind: 'steps', label: 'Check Bluetooth by hand', steps },
    likelihood: 0.8,
  });
}

/** macOS 12+ reports `controller_properties.controller_state`; older ones `local_device_title.general_power`. */
export function parseSystemProfiler(stdout: string): boolean | null {
  const doc = JSON.parse(stdout) as {
    SPBluetoothDataType?: Record<string, Record<string, unknown> | undefined>[];
  };
  const first = doc.SPBluetoothDataType?.[0];
  const state = first?.controller_properties?.controller_state ?? first?.local_device_title?.general_power;
  if (state === 'attrib_on') return true;
  if (state === 'attrib_off') return false;
  return null;
}

function safeParse(out: string): boolean | null {
  try {
    return parseSystemProfiler(out);
  } catch {
    return null;
  }
}

async function macFindings(timeout: number): Promise<Finding[]> {
  const out = await new Promise<string | null>((resolve) =>
    execFile('system_profiler', ['SPBluetoothDataType', '-json'], { timeout }, (error, stdout) =>
      resolve(error ? null : String(stdout)),
    ),
  );
  const on = out === null ? null : safeParse(out);
  const evidence = [
    { label: 'Read from', value: 'system_profiler SPBluetoothDataType' },
    { label: 'Bluetooth', value: on === null ? 'not reported' : on ? 'on' : 'off' },
  ];
  if (on === null)
    return [unknownFinding(evidence, ['Open System Settings → Bluetooth and check that it is on.'])];
  return [
    finding({
      id: CHECK,
      check: CHECK,
      verdict: on ? 'ok' : 'problem',
      title: on ? 'Bluetooth is on' : 'Bluetooth is turned off',
      explanation: WHY,
      evidence,
      fix: on
        ? null
        : {
            kind: 'steps',
            label: 'Turn Bluetooth on',
            steps: [
              'Open System Settings → Bluetooth and switch it on.',
              'Turn Bluetooth on on the phone too.',
            ],
          },
      likelihood: on ? 0.9 : 0.95,
    }),
  ];
}

export function bluetoothCheck(options: BluezOptions = {}): Check<DoctorContext> {
  return {
    id: CHECK,
    title: 'Bluetooth adapter present and powered',
    async run(ctx) {
      switch (ctx.platform) {
        case 'linux':
          return bluezFindings(await readBluez(options));
        case 'darwin':
          return macFindings(options.timeoutMs ?? 10_000);
        case 'win32':
          return [
            unknownFinding(
              [{ label: 'Windows', value: 'the radio state is not readable from here' }],
              [
                'Open Settings → Bluetooth & devices and check that Bluetooth is on.',
                'If there is no Bluetooth switch, this PC has no adapter: plug in a USB Bluetooth adapter.',
              ],
            ),
          ];
        default:
          return [
            unknownFinding(
              [{ label: 'System', value: ctx.platform }],
              ["Check the system's Bluetooth settings."],
            ),
          ];
      }
    },
  };
}
