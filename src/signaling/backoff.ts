/**
 * Exponential backoff with jitter, for anything that retries: tracker
 * sockets reconnecting, dropped peers being looked for again.
 */
export interface BackoffOptions {
  /** Delay before the first retry, ms. */
  initial: number
  /** Longest delay, ms. */
  max: number
  /** Growth per attempt; 2 doubles. */
  factor?: number
  /** Fraction of the delay drawn at random (0..1) so that many clients do not retry in step. */
  jitter?: number
  random?: () => number
}

export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = Object.freeze({
  initial: 1_000,
  max: 60_000,
  factor: 2,
  jitter: 0.3,
})

/** The delay before retry number `attempt` (0 for the first retry). */
export function backoffDelay(attempt: number, opts: BackoffOptions = DEFAULT_BACKOFF): number {
  const factor = opts.factor ?? 2
  const jitter = Math.min(1, Math.max(0, opts.jitter ?? 0))
  const random = opts.random ?? Math.random
  const n = Math.max(0, Math.floor(attempt))
  const base = Math.min(opts.max, opts.initial * Math.pow(factor, Math.min(n, 64)))
  // Jitter only shortens: the delay stays within [base·(1-jitter), base].
  return Math.round(base * (1 - jitter * random()))
}
