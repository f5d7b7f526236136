import type { StoreInfo } from '../../../shared/model';
import type { ScreenProps } from '../../shell/navigation';
import { shownInventory, useInventory } from '../../state/inventory';
import { ErrorNotice } from '../../ui/ErrorNotice';
import { GuidedSection } from '../guided/GuidedSection';
import { StoreCard } from './StoreCard';

interface Section {
  title: string;
  note: string;
  stores: StoreInfo[];
}

/**
 * Every store with its status, split into what needs attention, what was read, what is not here, and (from the
 * guided cards) what is managed elsewhere, with the steps for this computer first and "deleted there" marks.
 */
export function StoresScreen(_props: ScreenProps) {
  const { state, reload } = useInventory();
  const inventory = shownInventory(state);
  const stores = inventory?.stores ?? [];
  const sections: Section[] = [
    {
      title: 'Needs attention',
      note: 'These stores should be readable but were not.',
      stores: stores.filter((s) => s.status === 'error' || s.status === 'locked' || s.status === 'needs-pin'),
    },
    {
      title: 'Read on this computer',
      note: 'Their passkeys are in the inventory.',
      stores: stores.filter((s) => s.status === 'available'),
    },
    {
      title: 'Not available here',
      note: 'These stores do not exist on this computer, or cannot be reached now.',
      stores: stores.filter((s) => s.status === 'unavailable' && s.kind !== 'guided'),
    },
  ];
  return (
    <div className="screen screen-stores">
      <header className="screen-header">
        <div>
          <h1>Stores</h1>
          <p className="subtle">Where your passkeys live, and what Passkey Desk could read.</p>
        </div>
        <button type="button" className="button" onClick={() => void reload()}>
          Refresh
        </button>
      </header>
      {state.status === 'loading' && (
        <p className="loading" role="status">
          Reading your passkey stores…
        </p>
      )}
      {state.status === 'error' && <ErrorNotice error={state.error} onRetry={() => void reload()} />}
      {sections
        .filter((s) => s.stores.length > 0)
        .map((section) => (
          <section key={section.title} className="store-section" aria-label={section.title}>
            <h2>{section.title}</h2>
            <p className="subtle">{section.note}</p>
            <div className="store-grid">
              {section.stores.map((s) => (
                <StoreCard key={s.id} store={s} />
              ))}
            </div>
          </section>
        ))}
      <GuidedSection />
    </div>
  );
}
