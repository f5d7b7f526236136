import type { Check, DoctorContext, Finding } from '../../shared/doctor';
import { finding } from '../../shared/doctor';

/**
 * Runs every check at once, each with a time limit. A check that throws or hangs becomes an `unknown` finding
 * saying so: one broken check must not hide what the others found.
 */
export async function runChecks(
  checks: readonly Check<DoctorContext>[],
  ctx: DoctorContext,
  timeoutMs = 15_000,
): Promise<Finding[]> {
  const results = await Promise.all(checks.map((c) => runOne(c, ctx, timeoutMs)));
  return results.flat();
}

async function runOne(
  check: Check<DoctorContext>,
  ctx: DoctorContext,
  timeoutMs: number,
): Promise<Finding[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no result within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([check.run(ctx), timeout]);
  } catch (e) {
    return [
      finding({
        id: check.id,
        check: check.id,
        verdict: 'unknown',
        title: `${check.title}: could not be checked`,
        explanation: `This check failed (${e instanceof Error ? e.message : String(e)}), so it neither confirms nor rules anything out.`,
        likelihood: 0.3,
      }),
    ];
  } finally {
    clearTimeout(timer);
  }
}
