import { createServices } from './services';
import type { Services, ServicesConfig } from './services';

/**
 * The composition root shared by the Electron shell and the CLI: the per-OS stores and providers are chosen
 * here, from configuration (environment variables name test stand-ins explicitly; nothing is switched by a
 * "test mode").
 */
export function createDefaultServices(
  base: Pick<ServicesConfig, 'dataDir' | 'shell'> & Partial<ServicesConfig>,
  _env: NodeJS.ProcessEnv = process.env,
): Services {
  return createServices({ ...base });
}
