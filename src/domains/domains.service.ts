import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { DomainExists, DomainNotFound } from '../common/errors.js';
import { AppConfig } from '../config/app-config.js';
import { DEFAULT_ALGORITHM } from '../keys/signing-key.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { Domain, DomainStatus } from './domain.js';
import { DomainsRepository } from './domains.repository.js';
import { CreateDomainDto } from './dto/create-domain.dto.js';

/** Longer than any rotation takes; a crashed rotation's lock expires after it. */
const ROTATION_LOCK_MS = 60_000;

@Injectable()
export class DomainsService {
  constructor(
    private readonly domains: DomainsRepository,
    private readonly keys: SigningKeysService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

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
  async findActive(name: string): Promise<Domain | undefined> {
    const domain = await this.domains.find(name);
    return domain?.status === 'active' ? domain : undefined;
  }

  /** Takes the domain's rotation lock for a minute; false if another rotation holds it. */
  lockRotation(name: string, token: string): Promise<boolean> {
    const now = this.clock.now().getTime();
    return this.domains.lockRotation(name, token, now, now + ROTATION_LOCK_MS);
  }

  unlockRotation(name: string, token: string, rotatedAt?: string): Promise<void> {
    return this.domains.unlockRotation(name, token, rotatedAt);
  }

  async setStatus(name: string, status: DomainStatus): Promise<Domain> {
    const domain = await this.domains.setStatus(name, status, this.clock.now().toISOString());
    if (!domain) throw new DomainNotFound();
    return domain;
  }
}
