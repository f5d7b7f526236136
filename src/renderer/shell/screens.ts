import type { ComponentType } from 'react';
import { InventoryScreen } from '../screens/inventory/InventoryScreen';
import { StoresScreen } from '../screens/stores/StoresScreen';
import { TrashScreen } from '../screens/trash/TrashScreen';
import { ImportScreen } from '../screens/import/ImportScreen';
import { KeysScreen } from '../screens/keys/KeysScreen';
import { AccountsScreen } from '../screens/accounts/AccountsScreen';
import { ActivityScreen } from '../screens/activity/ActivityScreen';
import { DoctorScreen } from '../screens/doctor/DoctorScreen';
import type { ScreenId, ScreenProps } from './navigation';

export interface ScreenEntry {
  id: ScreenId;
  label: string;
  component: ComponentType<ScreenProps>;
}

/** The navigation, in order. One entry per screen; the screen itself lives in screens/<name>/. */
export const SCREENS: readonly ScreenEntry[] = [
  { id: 'inventory', label: 'Passkeys', component: InventoryScreen },
  { id: 'stores', label: 'Stores', component: StoresScreen },
  { id: 'import', label: 'Import', component: ImportScreen },
  { id: 'keys', label: 'Security keys', component: KeysScreen },
  { id: 'accounts', label: 'Accounts', component: AccountsScreen },
  { id: 'activity', label: 'Activity', component: ActivityScreen },
  { id: 'doctor', label: "Can't sign in?", component: DoctorScreen },
  { id: 'trash', label: 'Trash', component: TrashScreen },
];
