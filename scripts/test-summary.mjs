// Prints one closing line, "tests: N passed, N failed", summed over vitest and Playwright JSON reports (a test
// file whose setup failed counts as one failure).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
let passed = 0;
let failed = 0;
let skipped = 0;
const vitest = join(dir, 'vitest.json');
if (existsSync(vitest)) {
  const r = JSON.parse(readFileSync(vitest, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
  skipped += r.numPendingTests + r.numTodoTests;
  // A file whose setup failed (a beforeAll that threw) fails without failing a test: its tests read as skipped.
  // Count such files, so the line never says "0 failed" for a run that failed.
  const brokenFiles = r.testResults.filter(
    (f) => f.status === 'failed' && !f.assertionResults.some((a) => a.status === 'failed'),
  ).length;
  if (brokenFiles > (r.numRuntimeErrorTestSuites ?? 0))
    failed += brokenFiles - (r.numRuntimeErrorTestSuites ?? 0);
}
const pw = join(dir, 'playwright.json');
if (existsSync(pw)) {
  const r = JSON.parse(readFileSync(pw, 'utf8'));
  passed += r.stats.expected + r.stats.flaky;
  failed += r.stats.unexpected;
  skipped += r.stats.skipped;
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
