export { GUIDED_CARDS, guidedCard, guidedCardForAaguid, guidedStoreChoices, isGuidedStoreId } from './cards';
export type { GuidedCard, GuidedPlatform, GuidedSteps } from './cards';
export { GuidedStore, GuidedStoresProvider, manualSteps, sectionsFor } from './guided-store';
export { DeletionMarks, MARKS_FILE } from './marks';
export type { DeletionMarksOptions, MarkInput } from './marks';
export { matchDeletionMarks } from './marks-match';
export type { DeletionMark, ServerCredentialRef } from './marks-match';
