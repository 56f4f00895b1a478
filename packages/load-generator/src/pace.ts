/**
 * When journeys start: `rate` a second, one every 1/rate seconds, spread evenly rather than in a
 * burst at the top of each second. Pure: the generator asks at any moment how many starts are due
 * and when the next one is, so tests drive it with made-up times.
 */
export interface Pace {
  readonly rate: number;
  /** When the next start is due (epoch ms); Infinity at rate 0. */
  readonly nextAt: number;
}

/**
 * Starts due more than this long ago (a stalled event loop, a suspended laptop) are dropped rather
 * than run at once: catching up on a long stall would be exactly the burst the pace exists to avoid.
 */
export const maxLagMs = 250;

/** The first start is due at once. */
export function startPace(rate: number, now: number): Pace {
  return { rate, nextAt: rate > 0 ? now : Infinity };
}

/**
 * A new rate, live (the slider): the next start comes no later than one new interval from now, and
 * at once when the load was idle at rate 0.
 */
export function changeRate(pace: Pace, rate: number, now: number): Pace {
  if (rate <= 0) return { rate: 0, nextAt: Infinity };
  if (pace.rate <= 0) return { rate, nextAt: now };
  return { rate, nextAt: Math.min(pace.nextAt, now + 1_000 / rate) };
}

/** How many starts are due at `now`, and the pace after them. */
export function takeDue(pace: Pace, now: number): { readonly due: number; readonly pace: Pace } {
  if (pace.rate <= 0 || now < pace.nextAt) return { due: 0, pace };
  const interval = 1_000 / pace.rate;
  const from = now - pace.nextAt > maxLagMs ? now : pace.nextAt;
  const due = Math.floor((now - from) / interval) + 1;
  return { due, pace: { rate: pace.rate, nextAt: from + due * interval } };
}
