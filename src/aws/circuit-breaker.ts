/**
 * A dead store should cost one deadline, not one per request. After `threshold` store faults in a
 * row the breaker opens: calls fail at once for `cooldownMs`. Then it half-opens: one call goes
 * through as a probe (the others still fail at once); its success closes the breaker, its fault
 * opens it again. The state is this process's view of its connection, not a security decision.
 */
export class CircuitBreaker {
  private faults = 0;
  private openUntil = 0;
  private probing = false;

  constructor(
    private readonly threshold: number,
    private readonly cooldownMs: number,
  ) {}

  get isOpen(): boolean {
    return this.faults >= this.threshold;
  }

  /** Whether a call may go to the store now; in the half-open state, only the one probe. */
  admit(now: number): boolean {
    if (!this.isOpen) return true;
    if (now < this.openUntil || this.probing) return false;
    this.probing = true;
    return true;
  }

  /** Records an answer from the store; returns whether that closed an open breaker. */
  succeeded(): boolean {
    const wasOpen = this.isOpen;
    this.faults = 0;
    this.probing = false;
    return wasOpen;
  }

  /** Records a fault; returns whether the breaker opened (or opened again) because of it. */
  failed(now: number): boolean {
    this.faults += 1;
    this.probing = false;
    if (!this.isOpen) return false;
    this.openUntil = now + this.cooldownMs;
    return true;
  }
}
