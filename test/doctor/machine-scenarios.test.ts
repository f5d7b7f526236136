/**
 * The messages a machine explains: no phone QR code (Bluetooth off, on the BlueZ model), and "We couldn't use your
 * device to verify your identity" on a Windows PC without Windows Hello (the webauthn.dll stand-in) — both through
 * the doctor as the services build it, with the account on the real reference server.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDoctor } from '../../src/main/features/doctor';
import { readInventory } from '../../src/main/inventory';
import { createWindowsHelloStore } from '../../src/main/stores/windows-hello';
import { withProviderName } from '../../src/shared/providers';
import type { RunningServer } from '../../src/server';
import { startServer } from '../../src/server';
import type { BluezModel } from '../helpers/bluez';
import { startBluezModel } from '../helpers/bluez';
import { buildFakeWebauthn, writeFakeWebauthnScenario } from '../helpers/fake-webauthn';
import { TestVerifier } from '../helpers/test-verifier';
import type { Desk } from './desk';
import { makeDesk } from './desk';

let server: RunningServer;
let model: BluezModel;
beforeEach(async () => {
  server = await startServer({ port: 0 });
  model = await startBluezModel();
});
afterEach(async () => {
  await model.stop();
  await server.close();
});

function doctorFor(
  desk: Desk,
  platform: NodeJS.Platform,
  extra: Partial<Parameters<typeof createDoctor>[0]> = {},
) {
  const s = desk.services;
  return createDoctor({
    platform,
    inventory: () => readInventory(s.registry, withProviderName, () => new Date()),
    marks: s.marks,
    journal: s.journal,
    vault: s.vault,
    stores: [],
    verifier: new TestVerifier(),
    appVersion: 'test',
    accounts: s.accounts,
    env: model.env,
    ...extra,
  });
}

describe('no QR code for "iPhone, iPad or Android device"', () => {
  it('Bluetooth off is the top finding, with the steps to turn it on', async () => {
    const desk = await makeDesk({ platform: 'linux' });
    const account = await desk.signUp(server, 'ana');
    await model.addAdapter('hci0', 'desk');
    await model.setPowered('hci0', false);
    const run = await doctorFor(desk, 'linux').run({ accountId: account.id, message: 'no-qr-code' });
    expect(run.top).toMatchObject({
      check: 'bluetooth',
      verdict: 'problem',
      title: 'Bluetooth is turned off',
    });
    expect(run.report).toContain('Adapter hci0 (desk): present, powered off');
  });

  it('with Bluetooth on and the server reachable, the organisation policy is what is left to check', async () => {
    const desk = await makeDesk({ platform: 'linux' });
    await model.addAdapter('hci0', 'desk');
    const account = await desk.signUp(server, 'ana');
    const run = await doctorFor(desk, 'linux').run({ accountId: account.id, message: 'no-qr-code' });
    expect(run.findings.find((f) => f.check === 'bluetooth')?.verdict).toBe('ok');
    expect(run.findings.find((f) => f.check === 'server-reachable')?.verdict).toBe('ok');
    expect(run.top).toMatchObject({ check: 'hybrid-policy', verdict: 'unknown' });
  });
});

describe('"Sign in another way. We couldn\'t use your device to verify your identity"', () => {
  it('a Windows PC where Windows Hello is not set up', async () => {
    const libraryPath = await buildFakeWebauthn();
    process.env.FAKE_WEBAUTHN_SCENARIO = writeFakeWebauthnScenario({
      apiVersion: 9,
      userVerifyingPlatformAuthenticator: false,
      credentials: [],
    });
    const windowsHello = createWindowsHelloStore({ libraryPath, platform: 'win32' });
    const desk = await makeDesk({ platform: 'win32', stores: [windowsHello] });
    const account = await desk.signUp(server, 'ana');
    const run = await doctorFor(desk, 'win32', {
      stores: [windowsHello],
      osFacts: () => ({ platform: 'win32', release: '10.0.22631', version: 'Windows 11 Pro', arch: 'x64' }),
    }).run({
      accountId: account.id,
      message: 'couldnt-verify-device',
    });
    expect(run.top).toMatchObject({
      check: 'windows-hello',
      verdict: 'problem',
      fix: { kind: 'link', url: 'ms-settings:signinoptions' },
    });
    expect(run.system).toContain('Windows build 22631');
  });
});
