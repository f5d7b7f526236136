export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  /** Shown so a user or help desk knows where the vault and journal are. Never secrets. */
  dataDir: string;
  /** Which shell serves the API: the Electron app, or the test bridge used by the renderer e2e tests. */
  shell: 'electron' | 'test-bridge';
}
