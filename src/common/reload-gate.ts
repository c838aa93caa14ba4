import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Coalesces and rate-limits reloads of something cached (a domain's keys, a JWKS) when a caller
 * meets data newer than its cache, such as a kid minted after a rotation. `reloadSince(t)`
 * resolves once a reload that started at or after `t` has finished: concurrent callers share one,
 * and reloads start at most once per `minIntervalMs`, so a flood of unknown kids cannot hammer
 * the source.
 */
export class ReloadGate {
  private lastStart = Number.NEGATIVE_INFINITY;
  private running?: Promise<unknown>;

  constructor(
    private readonly reload: () => Promise<unknown>,
    private readonly minIntervalMs: number,
  ) {}

  async reloadSince(since: number): Promise<void> {
    while (this.lastStart < since) {
      if (this.running) {
        await this.running.catch(() => undefined);
        continue;
      }
      const wait = this.lastStart + this.minIntervalMs - Date.now();
      if (wait > 0) {
        await sleep(wait);
        continue;
      }
      this.lastStart = Date.now();
      this.running = this.reload().finally(() => (this.running = undefined));
      await this.running;
    }
  }
}
