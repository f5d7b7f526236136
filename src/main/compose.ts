import { createServices } from './services';
import type { Services, ServicesConfig } from './services';
import { createSecurityKeyProvider } from './stores/security-key';
import { createWindowsHelloStore } from './stores/windows-hello';

/** Names a webauthn.dll to load instead of System32's: the C stand-in in tests and demos, never needed on Windows. */
export const WEBAUTHN_LIBRARY_ENV = 'PASSKEY_DESK_WEBAUTHN_LIBRARY';

/**
 * The composition root shared by the Electron shell and the CLI: the per-OS stores and providers are chosen
 * here. Test stand-ins are named explicitly by configuration (environment variables), and the production code
 * they load into has no test branches.
 */
export function createDefaultServices(
  base: Pick<ServicesConfig, 'dataDir' | 'shell'> & Partial<ServicesConfig>,
  env: NodeJS.ProcessEnv = process.env,
): Services {
  const platform = base.platform ?? process.platform;
  const libraryPath = env[WEBAUTHN_LIBRARY_ENV];
  const windowsHello = createWindowsHelloStore(libraryPath ? { libraryPath, platform } : { platform });
  const securityKeys = createSecurityKeyProvider({ env });
  return createServices({
    ...base,
    platform,
    stores: [windowsHello, ...(base.stores ?? [])],
    securityKeys,
  });
}
