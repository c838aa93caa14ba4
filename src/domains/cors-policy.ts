import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { DomainsService } from './domains.service.js';

const REFRESH_MS = 30_000;

/**
 * Which browser origins may read the API's answers. The old service answered `*` everywhere, and
 * so do we by default: these routes take bearer tokens, never cookies, so `*` exposes nothing.
 * `CORS_ORIGINS` narrows every domain to that list (plus each domain's own); a domain's
 * `corsOrigins` narrows that domain. A narrowed answer echoes the origin (with `Vary: Origin`).
 */
@Injectable()
export class CorsPolicy {
  private readonly global: Set<string>;
  private allDomains?: { loadedAt: number; origins: Promise<Set<string>> };

  constructor(
    private readonly domains: DomainsService,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.global = new Set(config.corsOrigins);
  }

  /**
   * The `Access-Control-Allow-Origin` value for a request from `origin` about `domainName` (when
   * the request names one), or undefined for none. A preflight names no domain: with `CORS_ORIGINS`
   * set, any active domain's origins pass it, and the answer itself is then checked for its domain.
   */
  async allowOrigin(origin: string | undefined, domainName: string | undefined): Promise<string | undefined> {
    if (!origin) return this.global.size === 0 ? '*' : undefined;
    if (this.global.has(origin)) return origin;
    const domain = domainName ? await this.domains.findActive(domainName).catch(() => undefined) : undefined;
    if (domain) {
      if (this.global.size === 0 && domain.corsOrigins.length === 0) return '*';
      return domain.corsOrigins.includes(origin) ? origin : undefined;
    }
    if (this.global.size === 0) return '*';
    return (await this.anyDomainOrigins()).has(origin) ? origin : undefined;
  }

  private anyDomainOrigins(): Promise<Set<string>> {
    const now = this.clock.now().getTime();
    if (!this.allDomains || now - this.allDomains.loadedAt > REFRESH_MS) {
      const origins = this.domains
        .list()
        .then((domains) => new Set(domains.filter((domain) => domain.status === 'active').flatMap((domain) => domain.corsOrigins)));
      origins.catch(() => (this.allDomains = undefined));
      this.allDomains = { loadedAt: now, origins };
    }
    return this.allDomains.origins.catch(() => new Set<string>());
  }
}
