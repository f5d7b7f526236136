import { PasskeyDeskError } from '../../src/shared/errors';
import type { UserVerifier } from '../../src/main/verify/user-verifier';

/** An explicit verifier for tests: records every request and answers as told. Never used by production code. */
export class TestVerifier implements UserVerifier {
  readonly name = 'test';
  readonly requests: string[] = [];
  answer: 'approve' | 'cancel' | 'fail' = 'approve';

  async available() {
    return { ok: true, reason: null };
  }

  async verify(reason: string): Promise<void> {
    this.requests.push(reason);
    if (this.answer === 'cancel') throw new PasskeyDeskError('USER_CANCELLED', 'The test user cancelled.');
    if (this.answer === 'fail')
      throw new PasskeyDeskError('USER_VERIFICATION_FAILED', 'The test user was not verified.');
  }
}
