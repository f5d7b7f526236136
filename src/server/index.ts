/** Public surface of the reference relying party. */
export { startServer, DEFAULT_ACCOUNT_RATE_LIMIT, DEFAULT_RATE_LIMIT } from './start-server';
export type { StartServerOptions, RunningServer } from './start-server';
export type { Clock } from './clock';
export type { Lifetimes } from './context';
export type { RateLimitSetting } from './routes/limits';
export type { ServerErrorCode } from './api-error';
export type { PasskeyView } from './flows/passkey-view';
export { ACCOUNT_API_BASE } from './routes/account';
