import { useEffect, useState } from 'react';
import type { AppInfo } from '../../shared/app-info';
import { api } from '../api';
import { KeyIcon } from '../ui/KeyIcon';
import type { ScreenId } from './navigation';
import { SCREENS } from './screens';

/** The app's navigation and, at the bottom, which build and shell this is. */
export function Sidebar({ current, onNavigate }: { current: ScreenId; onNavigate: (id: ScreenId) => void }) {
  const [info, setInfo] = useState<AppInfo | null>(null);
  useEffect(() => {
    let live = true;
    void api()
      .app.info({})
      .then((r) => {
        if (live && r.ok) setInfo(r.value);
      });
    return () => {
      live = false;
    };
  }, []);

  return (
    <nav className="sidebar" aria-label="Main">
      <p className="brand">
        <span className="brand-mark" aria-hidden="true">
          <KeyIcon size={20} />
        </span>
        Passkey Desk
      </p>
      <ul className="nav-list">
        {SCREENS.map((s) => (
          <li key={s.id}>
            <button
              type="button"
              className="nav-item"
              aria-current={s.id === current ? 'page' : undefined}
              onClick={() => onNavigate(s.id)}
            >
              {s.label}
            </button>
          </li>
        ))}
      </ul>
      {info && (
        <p className="app-info">
          {info.name} {info.version}
          {info.shell === 'test-bridge' ? ' · test bridge' : ''}
        </p>
      )}
    </nav>
  );
}
