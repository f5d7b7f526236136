import { createRequire } from 'node:module';
import { PasskeyDeskError } from '../shared/errors';
import type { Handlers } from '../shared/contract';
import type { Passkey } from '../shared/model';
import { shortId } from '../shared/model';
import { readInventory, StoreRegistry } from './inventory';
import { Journal } from './journal';
import { createOsSecretStore } from './keyring';
import type { SecretStore } from './keyring';
import { notRemovable } from './stores/store';
import type { OperationContext, PasskeyStore, StoreProvider } from './stores/store';
import { doctorHandlers } from './features/doctor';
import { storeHandlers } from './features/stores';
import { keyHandlers } from './features/keys';
import { createSecurityKeyProvider } from './stores/security-key';
import type { SecurityKeyProvider } from './stores/security-key';
import { createAccountFeatures } from './features/accounts';
import type { AccountFeatures } from './features/accounts';
import type { ProgressEvent } from '../shared/contract';
import { ImportedFilesStore } from './stores/exports';
import { DeletionMarks, GuidedStoresProvider } from './stores/guided';
import { withProviderName } from '../shared/providers';
import { VaultStore } from './stores/vault/vault-store';
import { createPolkitVerifier } from './verify/polkit';
import { createWindowsHelloVerifier } from './stores/windows-hello';
import type { UserVerifier } from './verify/user-verifier';
import { unsupportedVerifier } from './verify/unsupported';

export interface ServicesConfig {
  dataDir: string;
  shell: 'electron' | 'cli' | 'test-bridge';
  secrets?: SecretStore;
  /** Touch ID (Electron on macOS), Windows Hello, polkit (Linux). Tests pass an explicit test verifier. */
  userVerifier?: UserVerifier;
  /** Extra stores (tests, other shells); the composition root adds the per-OS ones. */
  stores?: PasskeyStore[];
  providers?: StoreProvider[];
  /** FIDO2 security keys (one store per plugged-in key); default: USB HID through node-hid. */
  securityKeys?: SecurityKeyProvider;
  /** The OS file dialog for imports (Electron); the CLI takes paths as arguments. */
  pickFile?: () => Promise<string | null>;
  /** Opens an allow-listed URL in the system browser; only the Electron shell has one. */
  openExternal?: (url: string) => Promise<void>;
  /** Opens a server's desktop-login page in the system browser (accounts); default: xdg-open/open/start. */
  openBrowser?: (url: string) => Promise<void>;
  /** Progress of long operations (applying a plan), e.g. pushed to the renderer. */
  onProgress?: (event: ProgressEvent) => void;
  now?: () => Date;
  platform?: NodeJS.Platform;
}

export interface Services {
  readonly config: ServicesConfig;
  readonly vault: VaultStore;
  readonly journal: Journal;
  readonly registry: StoreRegistry;
  readonly imports: ImportedFilesStore;
  readonly marks: DeletionMarks;
  readonly handlers: Handlers;
  /** Connected accounts and the reconciler (plans, apply, resume). */
  readonly accounts: AccountFeatures;
  /** Journals, then deletes one passkey from any store that can delete it. */
  deletePasskey(
    storeId: string,
    credentialId: string,
    planId?: string | null,
    ctx?: OperationContext,
  ): Promise<{ passkey: Passkey; journalId: string }>;
}

export function defaultUserVerifier(platform: NodeJS.Platform): UserVerifier {
  // Touch ID needs Electron's systemPreferences, so on macOS the app passes its own verifier and the CLI reports
  // verification as unavailable rather than skipping it.
  if (platform === 'linux') return createPolkitVerifier();
  if (platform === 'win32') return createWindowsHelloVerifier({ platform });
  return unsupportedVerifier(platform);
}

export function createServices(config: ServicesConfig): Services {
  const now = config.now ?? (() => new Date());
  const platform = config.platform ?? process.platform;
  const secrets = config.secrets ?? createOsSecretStore();
  const verifier = config.userVerifier ?? defaultUserVerifier(platform);
  const journal = new Journal(config.dataDir, now);
  const vault = new VaultStore({ dataDir: config.dataDir, secrets, verifier, now });
  const imports = new ImportedFilesStore({ dataDir: config.dataDir, now });
  const marks = new DeletionMarks({ dataDir: config.dataDir, now });
  const securityKeys = config.securityKeys ?? createSecurityKeyProvider({ env: {} });
  const registry = new StoreRegistry(
    [vault, ...(config.stores ?? [])],
    [securityKeys, ...(config.providers ?? []), imports, new GuidedStoresProvider(platform)],
  );

  async function findPasskey(
    store: PasskeyStore,
    credentialId: string,
    ctx?: OperationContext,
  ): Promise<Passkey> {
    const passkey = (await store.list(ctx)).find((p) => p.credentialId === credentialId);
    if (!passkey)
      throw new PasskeyDeskError(
        'NOT_FOUND',
        `${store.label} holds no passkey ${shortId(credentialId)}${store.id === 'vault' ? ' (a deleted one is in the trash: passkey-desk vault trash)' : ''}. Run \`passkey-desk inventory\` to see the IDs.`,
      );
    return passkey;
  }

  async function deletePasskey(
    storeId: string,
    credentialId: string,
    planId: string | null = null,
    ctx?: OperationContext,
  ) {
    const store = await registry.get(storeId);
    if (!store)
      throw new PasskeyDeskError(
        'NOT_FOUND',
        `No store "${storeId}". Run \`passkey-desk stores\` to see them.`,
      );
    if (!store.delete)
      throw new PasskeyDeskError(
        'STORE_READ_ONLY',
        store.kind === 'export'
          ? `${store.label} is an imported export file, read-only here: delete the passkey in the password manager it came from, then forget this import (passkey-desk stores forget ${store.id}) or import a fresh export.`
          : `${store.label} cannot delete passkeys from here: delete it in ${store.label} itself (passkey-desk stores --steps shows how).`,
        {
          manage: (await store.info()).manage,
        },
      );
    const passkey = await findPasskey(store, credentialId, ctx);
    if (!passkey.removable) throw await notRemovable(store, passkey);
    const undoable = store.id === 'vault';
    return journal.record(
      {
        action: undoable ? 'vault.delete' : 'store.delete',
        effect: `Delete the passkey for ${passkey.userName ?? 'an account'} on ${passkey.rpId} from ${store.label}${undoable ? ' (it goes to the vault trash)' : ' (this cannot be undone)'}.`,
        store: store.id,
        credentialId,
        accountId: null,
        snapshot: { ...passkey },
        undo: undoable ? { kind: 'vault-restore', credentialId } : null,
        planId,
      },
      async (journalId) => {
        await store.delete!.call(store, credentialId, ctx);
        return { passkey, journalId };
      },
    );
  }

  const accounts = createAccountFeatures({
    dataDir: config.dataDir,
    secrets,
    vault,
    journal,
    registry,
    marks,
    now,
    platform,
    deletePasskey,
    ...(config.openBrowser ? { openBrowser: config.openBrowser } : {}),
    ...(config.onProgress ? { onProgress: config.onProgress } : {}),
  });

  const handlers: Handlers = {
    'app.info': async () => ({
      name: 'Passkey Desk',
      version: appVersion(),
      platform,
      dataDir: config.dataDir,
      shell: config.shell === 'electron' ? 'electron' : 'test-bridge',
    }),
    'inventory.get': async () => readInventory(registry, withProviderName, now),
    'vault.create': async (req) =>
      (
        await vault.create(
          req.userDisplayName === undefined
            ? { rpId: req.rpId, userName: req.userName }
            : { rpId: req.rpId, userName: req.userName, userDisplayName: req.userDisplayName },
        )
      ).passkey,
    'vault.rename': async (req) => vault.rename(req.credentialId, { nickname: req.nickname }),
    'vault.delete': async (req) => deletePasskey('vault', req.credentialId),
    'vault.restore': async (req) => {
      const restored = await vault.restore(req.credentialId);
      const undone = (await journal.entries()).find(
        (e) => e.undo?.credentialId === restored.credentialId && e.outcome === 'done' && !e.undoneBy,
      );
      if (undone) await journal.markUndone(undone.id, 'vault.restore');
      return restored;
    },
    'vault.purge': async (req) => {
      const trashed = (await vault.trash()).find((t) => t.passkey.credentialId === req.credentialId);
      if (!trashed)
        throw new PasskeyDeskError(
          'NOT_FOUND',
          `No passkey ${shortId(req.credentialId)} in the vault trash: only trashed passkeys can be purged. Delete it first (passkey-desk vault delete ID), or see the trash with passkey-desk vault trash.`,
        );
      const passkey = trashed.passkey;
      // Asked first: the trash is the way back, and a key destroyed while a server accepts it can lock a user out.
      if (req.override !== 'still-accepted') await accounts.accounts.assertNotAccepted(passkey);
      return journal.record(
        {
          action: 'vault.purge',
          effect: `Destroy the private key of ${passkey.userName ?? 'a passkey'} on ${passkey.rpId} for good.`,
          store: 'vault',
          credentialId: passkey.credentialId,
          accountId: null,
          snapshot: { ...passkey },
          undo: null,
          planId: null,
        },
        async (journalId) => {
          await vault.purge(req.credentialId);
          return { passkey, journalId };
        },
      );
    },
    'vault.trash': async () => vault.trash(),
    'journal.list': async (req) => (await journal.entries()).slice(0, req.limit ?? 500),
    'links.open': async (req) => {
      if (!config.openExternal)
        throw new PasskeyDeskError('UNSUPPORTED', 'Opening links needs the desktop app.');
      await config.openExternal(req.url);
    },
    ...accounts.handlers,
    ...keyHandlers({ provider: securityKeys, journal }),
    ...storeHandlers({
      vault,
      imports,
      marks,
      journal,
      platform,
      deletePasskey,
      ...(config.pickFile ? { pickFile: config.pickFile } : {}),
    }),
    ...doctorHandlers({
      platform,
      inventory: () => readInventory(registry, withProviderName, now),
      marks,
      journal,
      vault,
      secrets,
      stores: config.stores ?? [],
      verifier,
      appVersion: appVersion(),
      accounts,
    }),
  };

  return { config, vault, journal, registry, imports, marks, handlers, deletePasskey, accounts };
}

let version: string | null = null;
function appVersion(): string {
  if (version) return version;
  try {
    version = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
  } catch {
    version = '0.0.0';
  }
  return version;
}
