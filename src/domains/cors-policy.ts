import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { DomainsRepository } from './domains.repository.js';

const REFRESH_MS = 30_000;

/**
 * Which browser origins may call the API: CORS_ORIGINS plus every active domain's own list.
 * A preflight carries no body, so it cannot name its domain: the union is what can be checked.
 */
@Injectable()
export class CorsPolicy {
  private global: Set<string>;
  private perDomain?: { loadedAt: number; origins: Promise<Set<string>> };

  constructor(
    private readonly domains: DomainsRepository,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.global = new Set(config.corsOrigins);
  }

  async isAllowed(origin: string): Promise<boolean> {
    if (this.global.has(origin)) return true;
    return (await this.domainOrigins()).has(origin);
  }

  private domainOrigins(): Promise<Set<string>> {
    const now = this.clock.now().getTime();
    if (!this.perDomain || now - this.perDomain.loadedAt > REFRESH_MS) {
      const origins = this.domains
        .list()
        .then((domains) => new Set(domains.filter((domain) => domain.status === 'active').flatMap((domain) => domain.corsOrigins)));
      origins.catch(() => (this.perDomain = undefined));
      this.perDomain = { loadedAt: now, origins };
    }
    return this.perDomain.origins;
  }
}
