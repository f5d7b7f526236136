import type { Passkey, StoreInfo } from '../../../shared/model';
import type { PasskeyStore } from '../store';
import type { ImportedFileRecord } from './records';

const MANAGE_STEPS: Readonly<Record<ImportedFileRecord['format'], string[]>> = {
  bitwarden: [
    'This list is a snapshot of a Bitwarden export; changes in Bitwarden show here only after a new export is imported.',
    'To delete a passkey in Bitwarden: open the login item, choose Edit, remove the passkey, and save.',
    'Delete the export file when you are done: it holds your private keys unencrypted.',
  ],
  keepassxc: [
    'This is a passkey exported from KeePassXC; the original stays in your KeePassXC database.',
    'To delete it there: open the database, select the entry, and remove the passkey from it (or delete the entry).',
    'Delete the .passkey file when you are done: it holds the private key unencrypted.',
  ],
  cxf: [
    'This list is a snapshot of a Credential Exchange file; changes in the password manager that wrote it show here only after a new export.',
    'Delete passkeys in that password manager itself.',
    'Delete the export file when you are done: it holds your private keys unencrypted.',
  ],
};

/** One imported export file, listed read-only: deleting from a copy would change nothing anywhere. */
export class ExportFileStore implements PasskeyStore {
  readonly id: string;
  readonly kind = 'export' as const;
  readonly label: string;

  constructor(private readonly record: ImportedFileRecord) {
    this.id = record.id;
    this.label = record.label;
  }

  info(): Promise<StoreInfo> {
    const r = this.record;
    return Promise.resolve({
      id: r.id,
      kind: 'export',
      label: r.label,
      status: 'available',
      reason: null,
      capabilities: { list: true, delete: false, rename: false, create: false, sign: false, restore: false },
      // The whole file was read, so what it does not hold, it does not hold (as of its export).
      complete: true,
      count: r.passkeys.length,
      manage: { steps: MANAGE_STEPS[r.format], link: null },
      facts: {
        file: r.fileName,
        path: r.path,
        format: r.format,
        ...(r.exporter ? { exporter: r.exporter } : {}),
        importedAt: r.importedAt,
        movableToVault: r.movableCount,
      },
    });
  }

  list(): Promise<Passkey[]> {
    return Promise.resolve(this.record.passkeys.map((p) => ({ ...p })));
  }
}
