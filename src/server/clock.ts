/** The time seam: tests inject a clock to expire challenges, codes and sessions without waiting. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
