/**
 * What rows need about a store id, worked out once per reconcile instead of once per row: its label, whether
 * it deletes (and into a trash), its kind, the id prefixes of its rows and actions, and its store-only
 * sentences. Known stores and ids that only appear in a mark or an AAGUID table (`guided:apple`) alike; provider
 * names and '' get an entry too, as the subs of memoised sentences (see Phrases).
 */
import { knownProvider } from '../aaguid';
import type { KnownProvider } from '../aaguid';
import type { StoreInfo, StoreKind } from '../model';
import { deleteFromStorePiece, deleteStorePiece, renameNamePiece } from './actions';
import { localOrphanStorePiece, syncedStorePiece } from './explain';
import { keepShape } from './shapes';

function kindOf(storeId: string, known: StoreInfo | undefined): StoreKind | null {
  if (known) return known.kind;
  // Store ids start with their kind (`guided:apple`, `security-key:123`), see model.ts.
  const head = storeId.split(':', 1)[0];
  switch (head) {
    case 'vault':
    case 'windows-hello':
    case 'security-key':
    case 'export':
    case 'guided':
      return head;
    default:
      return null;
  }
}

export class StoreEntry {
  /** The label rows name it by: the store's own, else its id. */
  readonly label: string;
  readonly kind: StoreKind | null;
  /** The store deletes passkeys from here (each passkey may still refuse: `removable`). */
  readonly deletes: boolean;
  /** Its deletions go to a trash. */
  readonly undoable: boolean;
  readonly rowPrefix: string;
  readonly deletePrefix: string;
  readonly connectPrefix: string;
  /** `open-store:<store>::` for a row no account covers. */
  readonly openPrefix: string;
  private pieces: {
    synced: string;
    orphan: string;
    delete: string;
    deleteFrom: string;
    rename: string;
  } | null = null;

  constructor(
    readonly id: string,
    readonly info: StoreInfo | undefined,
    /** Its number in the table: the sub of its memoised sentences (see Phrases). */
    readonly index: number,
  ) {
    this.label = info?.label ?? id;
    this.kind = kindOf(id, info);
    this.deletes = info !== undefined && info.capabilities.delete;
    this.undoable = info?.capabilities.restore ?? false;
    this.rowPrefix = `local:${id}:`;
    this.deletePrefix = `delete-local:${id}:`;
    this.connectPrefix = `connect-account:${id}:`;
    this.openPrefix = `open-store:${id}::`;
  }

  /** This store's half of the synced, local-orphan, delete and rename sentences (see explain.ts, actions.ts). */
  piece(which: 'synced' | 'orphan' | 'delete' | 'deleteFrom' | 'rename'): string {
    const label = this.label;
    this.pieces ??= {
      synced: syncedStorePiece(label),
      orphan: localOrphanStorePiece(label),
      delete: deleteStorePiece(label, this.undoable),
      deleteFrom: deleteFromStorePiece(label, this.undoable),
      rename: renameNamePiece(label),
    };
    return this.pieces[which];
  }
}

export class StoreTable {
  private readonly byId = new Map<string, StoreEntry>();

  /** The sub '' (sentences that belong to no store). */
  readonly blank: StoreEntry;
  /** knownProvider per lower-case AAGUID: one look-up per AAGUID rather than two new strings per credential. */
  private readonly providers = new Map<string, KnownProvider | null>();

  constructor(private readonly known: Map<string, StoreInfo>) {
    this.blank = this.of('');
  }

  provider(aaguid: string | null): KnownProvider | null {
    if (aaguid === null) return null;
    let provider = this.providers.get(aaguid);
    if (provider === undefined) this.providers.set(aaguid, (provider = knownProvider(aaguid)));
    return provider;
  }

  of(id: string): StoreEntry {
    let entry = this.byId.get(id);
    if (entry === undefined)
      this.byId.set(id, (entry = new StoreEntry(id, this.known.get(id), this.byId.size)));
    return entry;
  }
}

// With its blank StoreEntry.
keepShape(new StoreTable(new Map()));
