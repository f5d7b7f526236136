import { createDefaultServices } from '../main/compose';
import { resolveDataDir } from '../main/paths';
import type { Services } from '../main/services';

/** What every command file gets: lazily created services (so `--help` stays instant) and the data folder. */
export interface CliApp {
  services(): Services;
  dataDir(): string;
}

export function createCliApp(env: NodeJS.ProcessEnv = process.env): CliApp {
  let services: Services | null = null;
  return {
    dataDir: () => resolveDataDir({}, env),
    services() {
      services ??= createDefaultServices({ dataDir: resolveDataDir({}, env), shell: 'cli' }, env);
      return services;
    },
  };
}
