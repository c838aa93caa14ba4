/** How many failures a key may have in a window before its waits begin, and how they grow. */
export interface ThrottleRule {
  /** Failures within `windowSeconds` before the first wait. */
  failures: number;
  windowSeconds: number;
  /** The longest wait; waits double from 1 s up to it. */
  maxWaitSeconds: number;
}

/** Per-domain login throttling (defaults in LOGIN_THROTTLE_DEFAULTS). */
export interface LoginThrottleSettings {
  /** One account (domain + username, existing or not) from clients that never logged into it. */
  account: ThrottleRule;
  /** One client address in a domain, across usernames: password spraying. */
  address: ThrottleRule;
}

export const LOGIN_THROTTLE_DEFAULTS: LoginThrottleSettings = {
  account: { failures: 5, windowSeconds: 900, maxWaitSeconds: 900 },
  address: { failures: 30, windowSeconds: 900, maxWaitSeconds: 900 },
};

/** A key's failures in its current window. */
export interface FailureCount {
  failures: number;
  /** Epoch ms of the window's first failure. */
  windowStart: number;
  /** Epoch ms of the latest failure: waits run from it. */
  lastFailureAt: number;
}

/**
 * Until when a key is blocked (epoch ms), or 0. From the `failures`-th failure of a window on, each
 * further one doubles the wait: 1 s, 2 s, 4 s ... up to `maxWaitSeconds`, counted from the latest
 * failure. A window past its length no longer counts.
 */
export function blockedUntil(count: FailureCount | undefined, rule: ThrottleRule, now: number): number {
  if (!count || count.failures < rule.failures || count.windowStart + rule.windowSeconds * 1000 <= now) return 0;
  const exponent = Math.min(count.failures - rule.failures, 30);
  const waitMs = Math.min(2 ** exponent, rule.maxWaitSeconds) * 1000;
  const until = count.lastFailureAt + waitMs;
  return until > now ? until : 0;
}
