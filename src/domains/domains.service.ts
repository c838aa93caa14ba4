import { Injectable, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { DomainBeingDeleted, DomainExists, DomainNotDisabled, DomainNotFound } from '../common/errors.js';
import { AppConfig } from '../config/app-config.js';
import { DEFAULT_ALGORITHM } from '../keys/signing-key.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { DEFAULT_SECURITY_SETTINGS, Domain, DomainSettings, DomainStatus } from './domain.js';
import { DomainsRepository } from './domains.repository.js';
import { EventsService } from '../events/events.service.js';
import { CreateDomainDto } from './dto/create-domain.dto.js';

/** Longer than any rotation takes; a crashed rotation's lock expires after it. */
const ROTATION_LOCK_MS = 60_000;

@Injectable()
export class DomainsService implements OnModuleInit {
  private readonly active = new Map<string, { domain: Domain; expiresAt: number }>();

  constructor(
    private readonly domains: DomainsRepository,
    private readonly keys: SigningKeysService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly events: EventsService,
  ) {}

  /**
   * The event trail keeps a domain's events as long as its setting says: from the cache when the
   * domain is in it (a login's always is), never filling it (an event written after a change must
   * not bring the old settings back).
   */
  onModuleInit(): void {
    this.events.useRetention(async (name) => (this.active.get(name)?.domain ?? (await this.domains.find(name)))?.eventRetentionDays);
  }

  /** Creates keys first, then the domain: a fault leaves at most unused keys, which a retry reuses. */
  async create(input: CreateDomainDto, actor: string): Promise<Domain> {
    if (await this.domains.find(input.name)) throw new DomainExists();
    const now = this.clock.now().toISOString();
    const domain: Domain = {
      name: input.name,
      status: 'active',
      algorithm: input.algorithm ?? DEFAULT_ALGORITHM,
      audience: input.audience ?? input.name,
      accessTokenTtlSeconds: input.accessTokenTtlSeconds ?? this.config.accessTokenTtlSeconds,
      sessionTtlSeconds: input.sessionTtlSeconds ?? this.config.sessionTtlSeconds,
      corsOrigins: input.corsOrigins ?? [],
      rotationPeriodDays: input.rotationPeriodDays ?? 30,
      refreshReuseGraceSeconds: input.refreshReuseGraceSeconds ?? DEFAULT_SECURITY_SETTINGS.refreshReuseGraceSeconds,
      passwordMinLength: input.passwordMinLength ?? DEFAULT_SECURITY_SETTINGS.passwordMinLength,
      loginThrottle: input.loginThrottle ?? DEFAULT_SECURITY_SETTINGS.loginThrottle,
      eventRetentionDays: input.eventRetentionDays ?? DEFAULT_SECURITY_SETTINGS.eventRetentionDays,
      // Trimmed here rather than in the DTO: the lengths the API document states are of what was sent.
      displayName: input.displayName?.trim(),
      logoUrl: input.logoUrl ?? undefined,
      brandColor: input.brandColor ?? undefined,
      createdAt: now,
      updatedAt: now,
    };
    await this.keys.ensureKeys(domain.name, domain.algorithm, actor);
    if (!(await this.domains.create(domain))) throw new DomainExists();
    return domain;
  }

  list(): Promise<Domain[]> {
    return this.domains.list();
  }

  async get(name: string, options: { consistent?: boolean } = {}): Promise<Domain> {
    const domain = await this.domains.find(name, options.consistent);
    if (!domain) throw new DomainNotFound();
    return domain;
  }

  /** The domain if it exists and is enabled; the one lookup login and refresh make. */
  /**
   * The domain if it exists and is enabled: the lookup every login, refresh and session check
   * makes. Active domains are remembered for DOMAIN_CACHE_SECONDS; unknown or disabled ones are
   * always read again, and a disable through this instance takes effect at once.
   */
  async findActive(name: string): Promise<Domain | undefined> {
    const now = this.clock.now().getTime();
    const cached = this.active.get(name);
    if (cached && cached.expiresAt > now) return cached.domain;
    const domain = await this.domains.find(name);
    if (domain?.status !== 'active') {
      this.active.delete(name);
      return undefined;
    }
    if (this.config.domainCacheSeconds > 0) this.active.set(name, { domain, expiresAt: now + this.config.domainCacheSeconds * 1000 });
    return domain;
  }

  /** The active domain `name`; 404 (`domain_not_found`) if it is unknown or disabled. */
  async getActive(name: string): Promise<Domain> {
    const domain = await this.findActive(name);
    if (!domain) throw new DomainNotFound();
    return domain;
  }

  /** Takes the domain's rotation lock for a minute; false if another rotation holds it. */
  lockRotation(name: string, token: string): Promise<boolean> {
    const now = this.clock.now().getTime();
    return this.domains.lockRotation(name, token, now, now + ROTATION_LOCK_MS);
  }

  unlockRotation(name: string, token: string, rotatedAt?: string): Promise<void> {
    return this.domains.unlockRotation(name, token, rotatedAt);
  }

  /** Changes what the admin sent and keeps the rest; this instance sees it at once, others within DOMAIN_CACHE_SECONDS. */
  async updateSettings(name: string, settings: Partial<DomainSettings>): Promise<Domain> {
    const trimmed = settings.displayName ? { ...settings, displayName: settings.displayName.trim() } : settings;
    const domain = await this.domains.updateSettings(name, trimmed, this.clock.now().toISOString());
    // After the write: a read that raced it (another request) may have cached the old settings.
    this.active.delete(name);
    if (!domain) throw new DomainNotFound();
    return domain;
  }

  async setStatus(name: string, status: DomainStatus): Promise<Domain> {
    const domain = await this.domains.setStatus(name, status, this.clock.now().toISOString());
    this.active.delete(name);
    if (!domain) throw (await this.domains.find(name, true)) ? new DomainBeingDeleted() : new DomainNotFound();
    this.events.record({ type: status === 'active' ? 'domain_enabled' : 'domain_disabled', domain: name, actor: 'admin' });
    return domain;
  }

  /** Starts (or resumes) the deletion of a disabled domain: from now on it cannot be enabled. */
  async beginDeletion(name: string): Promise<Domain> {
    const domain = await this.domains.markDeleting(name, this.clock.now().toISOString());
    this.active.delete(name);
    if (!domain) throw (await this.domains.find(name, true)) ? new DomainNotDisabled() : new DomainNotFound();
    return domain;
  }

  /** Removes the domain item, the last step of its deletion. */
  async finishDeletion(name: string): Promise<void> {
    await this.domains.delete(name);
    this.active.delete(name);
  }
}
