import { useEffect, useRef, useState } from 'react';
import { getApi } from './api';
import type { ScreenId } from './shell/navigation';
import { SCREENS } from './shell/screens';
import { Sidebar } from './shell/Sidebar';
import { ToastProvider } from './shell/toasts';
import { InventoryProvider } from './state/inventory';
import { PendingPlans } from './screens/activity/PendingPlans';

/** The shell: navigation on the left, one screen on the right, notifications at the bottom. */
export function App() {
  if (!getApi()) return <MissingBridge />;
  return (
    <ToastProvider>
      <InventoryProvider>
        <Shell />
      </InventoryProvider>
    </ToastProvider>
  );
}

function Shell() {
  const [screen, setScreen] = useState<ScreenId>('inventory');
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  const entry = SCREENS.find((s) => s.id === screen) ?? SCREENS[0]!;
  const Screen = entry.component;

  // After navigating, move focus to the new screen so keyboard and screen-reader users land on it.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const heading = main.current?.querySelector<HTMLElement>('h1');
    if (heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
  }, [screen]);

  return (
    <div className="app">
      <Sidebar current={screen} onNavigate={setScreen} />
      <main ref={main} className="main" aria-label={entry.label}>
        {/* A plan cut short by a crash is shown on the screen the app opens on, not only under Activity. */}
        {screen === 'inventory' && <PendingPlans />}
        <Screen navigate={setScreen} />
      </main>
    </div>
  );
}

function MissingBridge() {
  return (
    <main className="main missing-bridge">
      <h1>Passkey Desk cannot start here</h1>
      <p>
        This page needs the Passkey Desk desktop app: it was opened without the app's connection to your
        passkey stores.
      </p>
    </main>
  );
}
