import { Clock } from '../../src/common/clock.js';

/** Real time plus an offset the test moves forward, or stopped at one instant: expiry without sleeping. */
export class TestClock extends Clock {
  private offsetMs = 0;
  private frozenAt?: number;

  override now(): Date {
    return new Date(this.frozenAt ?? Date.now() + this.offsetMs);
  }

  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }

  /** Stops the clock at `epochMs` until `resume()`: answers that depend on the exact second. */
  freezeAt(epochMs: number): void {
    this.frozenAt = epochMs;
  }

  resume(): void {
    this.frozenAt = undefined;
  }
}
