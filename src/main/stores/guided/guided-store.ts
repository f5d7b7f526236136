import { PasskeyDeskError } from '../../../shared/errors';
import type { ManualSteps, Passkey, StoreInfo } from '../../../shared/model';
import type { PasskeyStore, StoreProvider } from '../store';
import { GUIDED_CARDS } from './cards';
import type { GuidedCard, GuidedPlatform, GuidedSteps } from './cards';

/** Which card sections matter most on this computer, best first. */
const PREFERENCE: Readonly<Partial<Record<NodeJS.Platform, GuidedPlatform[]>>> = {
  darwin: ['macos', 'chrome', 'ios', 'any', 'android'],
  win32: ['windows', 'chrome', 'any', 'ios', 'android'],
};
const DEFAULT_PREFERENCE: GuidedPlatform[] = ['chrome', 'any', 'android', 'ios'];

/** Sections ordered for this platform; a link is kept only where this OS can open it. */
export function sectionsFor(card: GuidedCard, platform: NodeJS.Platform): GuidedSteps[] {
  const order = PREFERENCE[platform] ?? DEFAULT_PREFERENCE;
  const rank = (s: GuidedSteps): number => {
    const i = order.indexOf(s.platform);
    return i < 0 ? order.length : i;
  };
  return [...card.sections]
    .sort((a, b) => rank(a) - rank(b))
    .map((s) => (s.link?.startsWith('ms-settings:') && platform !== 'win32' ? { ...s, link: null } : s));
}

export function manualSteps(card: GuidedCard, platform: NodeJS.Platform): ManualSteps {
  const [best] = sectionsFor(card, platform);
  if (!best) return { steps: [], link: null };
  const steps = best.linkNote ? [...best.steps, best.linkNote] : best.steps;
  return { steps: [`${best.where}:`, ...steps], link: best.link };
}

/** A store no program can read: it lists nothing and says where and how to manage its passkeys instead. */
export class GuidedStore implements PasskeyStore {
  readonly id: string;
  readonly kind = 'guided' as const;
  readonly label: string;

  constructor(
    readonly card: GuidedCard,
    private readonly platform: NodeJS.Platform,
  ) {
    this.id = card.id;
    this.label = card.label;
  }

  info(): Promise<StoreInfo> {
    return Promise.resolve({
      id: this.id,
      kind: 'guided',
      label: this.label,
      status: 'unavailable',
      reason: this.card.why,
      capabilities: { list: false, delete: false, rename: false, create: false, sign: false, restore: false },
      // Never read, so never complete: reconciliation calls its passkeys "elsewhere", not "server-orphan",
      // unless the user marks one as deleted there.
      complete: false,
      count: null,
      manage: manualSteps(this.card, this.platform),
      facts: { what: this.card.what },
    });
  }

  list(): Promise<Passkey[]> {
    return Promise.reject(
      new PasskeyDeskError(
        'STORE_UNAVAILABLE',
        `${this.label} cannot be read by any program: ${this.card.why}`,
        {
          store: this.id,
          manage: manualSteps(this.card, this.platform),
        },
      ),
    );
  }
}

export class GuidedStoresProvider implements StoreProvider {
  constructor(private readonly platform: NodeJS.Platform = process.platform) {}

  stores(): Promise<PasskeyStore[]> {
    return Promise.resolve(GUIDED_CARDS.map((c) => new GuidedStore(c, this.platform)));
  }
}
