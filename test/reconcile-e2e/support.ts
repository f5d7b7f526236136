/**
 * Shared plumbing for the accounts and reconcile end-to-end tests: real createServices over a fresh data folder,
 * the real keyring, an explicit test verifier, and the real reference server on 127.0.0.1.
 */
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChannelName, Handlers, ParsedRequestOf, ResponseOf } from '../../src/shared/contract';
import { parseRequest } from '../../src/shared/contract/validate';
import type { SecretStore } from '../../src/main/keyring';
import { createServices } from '../../src/main/services';
import type { Services, ServicesConfig } from '../../src/main/services';
import { realKeyring } from '../helpers/keyring';
import { TestVerifier } from '../helpers/test-verifier';

export interface Desk {
  services: Services;
  dataDir: string;
  secrets: SecretStore;
  verifier: TestVerifier;
  /** Every handler result this desk returned, to prove no token ever reaches a shell. */
  results: unknown[];
  call<C extends ChannelName>(name: C, request: unknown): Promise<ResponseOf<C>>;
}

export async function makeDesk(
  extra: Partial<ServicesConfig> = {},
  secrets: SecretStore = realKeyring(),
): Promise<Desk> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pkd-recon-'));
  const verifier = new TestVerifier();
  const services = createServices({
    dataDir,
    shell: 'test-bridge',
    secrets,
    userVerifier: verifier,
    ...extra,
  });
  const results: unknown[] = [];
  return {
    services,
    dataDir,
    secrets,
    verifier,
    results,
    async call<C extends ChannelName>(name: C, request: unknown) {
      // Through the contract's schema, exactly as IPC and the CLI do.
      const parsed: ParsedRequestOf<C> = parseRequest(name, request);
      const handler = services.handlers[name] as (r: ParsedRequestOf<C>) => Promise<ResponseOf<C>>;
      const value = await handler(parsed);
      results.push(value);
      return value;
    },
  };
}

/** Every file in the data folder (journal, accounts.json, plans, vault), as text. */
export async function dataFolderText(dir: string): Promise<string> {
  let all = '';
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    all += await readFile(join(entry.parentPath, entry.name), 'utf8');
  }
  return all;
}

export type { Handlers };
