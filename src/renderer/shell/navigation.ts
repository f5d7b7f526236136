/** The app's screens. Adding one: a folder under screens/, an id here, and an entry in shell/screens.ts. */
export type ScreenId =
  'inventory' | 'stores' | 'trash' | 'import' | 'keys' | 'accounts' | 'activity' | 'doctor';

export interface ScreenProps {
  navigate: (screen: ScreenId) => void;
}
