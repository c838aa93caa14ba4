import type { FailureCount } from './throttle-rules.js';

/** What one throttle key holds: failures in a window, or the mark of a known client. */
export interface ThrottleEntry extends Partial<FailureCount> {
  known?: boolean;
}

/** The shared throttle state, in the store: every instance counts and reads the same. */
export abstract class ThrottleRepository {
  /** The entries of `keys` that exist (a consistent read, one round trip). */
  abstract read(keys: string[]): Promise<Map<string, ThrottleEntry>>;
  /**
   * Adds one failure to `key`, atomically: into its window while the window is younger than
   * `windowMs`, else as the first of a new one. Returns the count after it.
   */
  abstract recordFailure(key: string, now: number, windowMs: number, expiresAt: number): Promise<FailureCount>;
  /**
   * Takes `key`'s one-attempt lease until `until` unless another attempt holds it; recording a
   * failure gives it back (a success deletes or replaces the item).
   */
  abstract lease(key: string, now: number, until: number): Promise<boolean>;
  abstract clear(keys: string[]): Promise<void>;
  /** Marks `key` as a known client until `expiresAt` (epoch ms), with no failures counted. */
  abstract remember(key: string, expiresAt: number): Promise<void>;
}
