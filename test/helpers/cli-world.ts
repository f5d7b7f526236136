/**
 * The world a CLI process test runs in: the real reference server on 127.0.0.1, the polkit model (allowing) for
 * the vault's user verification, the CLI built once, and an environment with a fresh data folder. Registers its
 * own beforeAll/afterAll; read the fields inside tests (they are set once beforeAll has run).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { RunningServer } from '../../src/server';
import { startServer } from '../../src/server';
import { buildCli } from './cli';
import { startPolkitModel } from './polkit';
import type { PolkitModel } from './polkit';

export interface CliWorld {
  server: RunningServer;
  polkit: PolkitModel;
  env: NodeJS.ProcessEnv;
}

export function useCliWorld(dataFolderPrefix: string): CliWorld {
  const world = {} as CliWorld;
  beforeAll(async () => {
    buildCli();
    world.server = await startServer({ port: 0 });
    world.polkit = await startPolkitModel();
    await world.polkit.allow();
    world.env = {
      ...process.env,
      ...world.polkit.env,
      PASSKEY_DESK_HOME: await mkdtemp(join(tmpdir(), dataFolderPrefix)),
    };
  });
  afterAll(async () => {
    await world.polkit?.stop();
    await world.server?.close();
  });
  return world;
}
