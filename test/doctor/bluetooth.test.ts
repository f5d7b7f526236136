import { afterEach, describe, expect, it } from 'vitest';
import type { DoctorContext } from '../../src/shared/doctor';
import { bluetoothCheck, parseGdbus, readBluez } from '../../src/main/doctor';
import type { BluezTool } from '../../src/main/doctor';
import type { BluezModel } from '../helpers/bluez';
import { startBluezModel } from '../helpers/bluez';

const ctx: DoctorContext = {
  platform: 'linux',
  message: 'no-qr-code',
  account: null,
  accountError: null,
  serverUrl: null,
};
let model: BluezModel | null = null;
afterEach(async () => {
  await model?.stop();
  model = null;
});

async function check(tools: BluezTool[]) {
  const [f] = await bluetoothCheck({ env: model!.env, tools }).run(ctx);
  return f!;
}

describe.each([['busctl'], ['gdbus']] as const)(
  'Bluetooth on Linux through BlueZ over D-Bus, read with %s',
  (tool) => {
    it('no adapter: a problem that says so', async () => {
      model = await startBluezModel();
      const f = await check([tool]);
      expect(f).toMatchObject({
        check: 'bluetooth',
        verdict: 'problem',
        title: 'This computer has no Bluetooth adapter',
      });
      expect(f.evidence).toContainEqual({ label: 'Adapters', value: 'none' });
      expect(f.fix?.kind).toBe('steps');
    });

    it('adapter present but off: a problem with the steps to turn it on', async () => {
      model = await startBluezModel();
      await model.addAdapter('hci0', 'desk');
      await model.setPowered('hci0', false);
      const f = await check([tool]);
      expect(f).toMatchObject({ verdict: 'problem', title: 'Bluetooth is turned off' });
      expect(f.evidence).toContainEqual({ label: 'Adapter hci0 (desk)', value: 'present, powered off' });
      expect(f.fix?.kind === 'steps' && f.fix.steps.join(' ')).toContain('bluetoothctl power on');
    });

    it('adapter on: ok', async () => {
      model = await startBluezModel();
      await model.addAdapter('hci0', 'desk');
      const f = await check([tool]);
      expect(f).toMatchObject({ verdict: 'ok', title: 'Bluetooth is on' });
      expect(f.evidence).toContainEqual({ label: 'Adapter hci0 (desk)', value: 'present, powered on' });
    });

    it('one of two adapters on is enough', async () => {
      model = await startBluezModel();
      await model.addAdapter('hci0', 'a');
      await model.addAdapter('hci1', 'b');
      await model.setPowered('hci0', false);
      expect((await check([tool])).verdict).toBe('ok');
    });

    it('a bus without BlueZ: the service is not running', async () => {
      model = await startBluezModel({ withoutBluez: true });
      const f = await check([tool]);
      expect(f).toMatchObject({ verdict: 'problem', title: 'The Bluetooth service is not running' });
    });
  },
);

describe('Bluetooth when the system cannot be asked', () => {
  it('no system bus at that address: unknown, with how to check', async () => {
    const [f] = await bluetoothCheck({
      env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: 'unix:path=/nonexistent/bus' },
    }).run(ctx);
    expect(f).toMatchObject({ verdict: 'unknown', title: 'Bluetooth could not be checked' });
    expect(f!.fix?.kind === 'steps' && f!.fix.steps[0]).toContain('bluetoothctl show');
  });

  it('neither busctl nor gdbus installed: unknown', async () => {
    const state = await readBluez({ env: { PATH: '/nonexistent' } });
    expect(state).toEqual({ kind: 'no-tool', detail: 'neither busctl nor gdbus is installed' });
  });

  it.each([['win32'], ['freebsd']])('on %s: unknown with the place to look', async (platform) => {
    const [f] = await bluetoothCheck().run({ ...ctx, platform });
    expect(f?.verdict).toBe('unknown');
  });

  it('gdbus text with a device object between adapters is read per object', () => {
    const text =
      "({objectpath '/org/bluez': {'org.bluez.AgentManager1': @a{sv} {}}, '/org/bluez/hci0': {'org.bluez.Media1': @a{sv} {}, 'org.bluez.Adapter1': {'Alias': <'x'>, 'Powered': <false>}}, " +
      "'/org/bluez/hci0/dev_00': {'org.bluez.Device1': {'Paired': <true>}}, '/org/bluez/hci1': {'org.bluez.Adapter1': {'Name': <'y'>, 'Powered': <true>}}},)";
    expect(parseGdbus(text)).toEqual([
      { path: '/org/bluez/hci0', name: 'x', powered: false },
      { path: '/org/bluez/hci1', name: 'y', powered: true },
    ]);
  });
});
