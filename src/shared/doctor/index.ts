/** The troubleshooter's pure model: import from here. Checks that touch the machine live in src/main/doctor. */
export type * from './types';
export { CHECK_IDS, VERDICTS, finding } from './types';
export type { DoctorMessage, MessageKey } from './messages';
export { MESSAGES, MESSAGE_KEYS, doctorMessage, isMessageKey, weightFor } from './messages';
export type { DoctorContext } from './context';
export type { AccountFacts } from './account-facts';
export { accountRows, planFix } from './account-facts';
export type { Ecosystem, Usable, Whereabouts } from './ecosystem';
export { ecosystemOf, osName, whereabouts } from './ecosystem';
export { passkeyStatusFindings } from './passkey-status';
export { storeReachFindings } from './store-reach';
export { rankFindings, topFinding } from './rank';
export { REDACTED, redactReport } from './redact';
export type { ReportMeta } from './report';
export { renderReport } from './report';
export type { AccountRef, DoctorRun } from './run-types';
