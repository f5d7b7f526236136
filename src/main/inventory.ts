import type { Inventory, Passkey, StoreInfo } from '../shared/model';
import { toErrorInfo } from '../shared/errors';
import type { OperationContext, PasskeyStore, StoreProvider } from './stores/store';
import { unavailableInfo } from './stores/store';

/** All stores, fixed and dynamic (security keys, imported files), in display order. */
export class StoreRegistry {
  constructor(
    private readonly fixed: PasskeyStore[],
    private readonly providers: StoreProvider[],
  ) {}

  async all(): Promise<PasskeyStore[]> {
    const dynamic = await Promise.all(
      this.providers.map((p) =>
        p
          .stores()
          .catch((e: unknown): PasskeyStore[] => (p.whenUnreadable ? [unreadable(p.whenUnreadable, e)] : [])),
      ),
    );
    return [...this.fixed, ...dynamic.flat()];
  }

  async get(id: string): Promise<PasskeyStore | null> {
    return (await this.all()).find((s) => s.id === id) ?? null;
  }
}

/**
 * Reads every store in parallel. A store that fails does not fail the inventory: it is reported with its reason
 * and `complete: false`, so reconciliation never treats its passkeys as gone.
 */
export async function readInventory(
  registry: StoreRegistry,
  enrich: (p: Passkey) => Passkey,
  now: () => Date,
  ctx?: OperationContext,
): Promise<Inventory> {
  const stores = await registry.all();
  const results = await Promise.all(stores.map((store) => readStore(store, ctx)));
  const passkeys: Passkey[] = [];
  for (const r of results) for (const p of r.passkeys) passkeys.push(enrich(p));
  return { passkeys, stores: results.map((r) => r.info), readAt: now().toISOString() };
}

async function readStore(
  store: PasskeyStore,
  ctx?: OperationContext,
): Promise<{ info: StoreInfo; passkeys: Passkey[] }> {
  const info = await store.info(ctx);
  if (info.status !== 'available' || !info.capabilities.list) return { info, passkeys: [] };
  try {
    const passkeys = await store.list(ctx);
    return { info: { ...info, count: passkeys.length }, passkeys };
  } catch (e) {
    const error = toErrorInfo(e);
    return {
      info: {
        ...info,
        status: error.code === 'PIN_REQUIRED' ? 'needs-pin' : 'error',
        reason: error.message,
        complete: false,
        count: null,
      },
      passkeys: [],
    };
  }
}

/** Stands for a provider's stores when they cannot be listed: the inventory names it, in `error`, with the reason. */
function unreadable(base: Pick<StoreInfo, 'id' | 'kind' | 'label'>, e: unknown): PasskeyStore {
  const error = toErrorInfo(e);
  const info: StoreInfo = {
    ...unavailableInfo(base, error.message),
    status: 'error',
  };
  return {
    ...base,
    info: async () => info,
    list: async () => {
      throw e;
    },
  };
}
