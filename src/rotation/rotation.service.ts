import { randomUUID } from 'node:crypto';
import { Injectable, Logger, Optional } from '@nestjs/common';
import { SignJWT, importJWK, jwtVerify } from 'jose';
import { Clock } from '../common/clock.js';
import { AppError, DomainNotFound, RotationFailed, RotationInProgress, RotationTooSoon } from '../common/errors.js';
import { ADMIN_API_ACTOR } from '../common/admin-token.guard.js';
import { AppConfig } from '../config/app-config.js';
import { Domain } from '../domains/domain.js';
import { DomainsService } from '../domains/domains.service.js';
import { KeyStore } from '../keys/key-store.js';
import { KeyVersion, SigningKey, byStage } from '../keys/signing-key.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { EventsService } from '../events/events.service.js';
import type { EventActor } from '../events/security-event.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { RotationResult, RotationStep } from './rotation-step.js';

const DAY_MS = 86_400_000;

/** The admin API rotates for an admin; the CLI, the scheduled job and the Lambda for the system. */
const actorOf = (actor: string): EventActor => (actor === ADMIN_API_ACTOR ? 'admin' : 'system');
const errorCode = (error: unknown) => (error instanceof AppError ? error.code : 'failed');

/**
 * Rotates a domain's signing key with the Secrets Manager protocol: a new version is created as
 * AWSPENDING (published in the JWKS at once), tested, then promoted to AWSCURRENT while the old
 * one stays verifiable as AWSPREVIOUS. Each step is idempotent for its request token.
 */
@Injectable()
export class RotationService {
  private readonly logger = new Logger('Rotation');

  constructor(
    private readonly domains: DomainsService,
    private readonly keys: SigningKeysService,
    private readonly store: KeyStore,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly events: EventsService,
    // The HTTP app counts rotations; the CLI and the rotation Lambda have no metrics endpoint.
    @Optional() private readonly metrics?: MetricsService,
  ) {}

  /**
   * One whole rotation. Of two started at once, one rotates and the other changes nothing.
   * Rotating drops the AWSPREVIOUS key, so it waits until no live session can still hold a token
   * signed by it, unless forced (a compromised key).
   */
  async rotate(domainName: string, actor: string, options: { force?: boolean } = {}): Promise<RotationResult> {
    const trail = { type: 'key_rotated' as const, domain: domainName, actor: actorOf(actor) };
    try {
      const result = await this.rotateLocked(domainName, actor, options);
      this.metrics?.keyRotation('ok');
      this.events.record({ ...trail, result: options.force ? 'forced' : 'ok' });
      return result;
    } catch (error) {
      const skipped = error instanceof RotationInProgress || error instanceof RotationTooSoon;
      this.metrics?.keyRotation(skipped ? 'skipped' : 'failed');
      if (!(error instanceof DomainNotFound)) this.events.record({ ...trail, result: 'refused', reason: errorCode(error) });
      throw error;
    }
  }

  private async rotateLocked(domainName: string, actor: string, options: { force?: boolean }): Promise<RotationResult> {
    const { name } = await this.domains.get(domainName);
    const token = randomUUID();
    if (!(await this.domains.lockRotation(name, token))) throw new RotationInProgress();
    let rotatedAt: string | undefined;
    try {
      // Read under the lock: a rotation that just finished has recorded its time.
      const domain = await this.domains.get(name, { consistent: true });
      if (!options.force && !this.previousKeyRetired(domain)) throw new RotationTooSoon();
      const before = await this.versionsOf(domain.name);
      await this.createSecret(domain, token, actor);
      await this.testSecret(domain.name, token);
      if (!(await this.finishSecret(domain.name, token))) throw new RotationInProgress();
      rotatedAt = this.clock.now().toISOString();
      const result: RotationResult = {
        domain: domain.name,
        status: 'rotated',
        kid: (await this.versionsOf(domain.name)).current.key.kid,
        previousKid: before.current.key.kid,
        actor,
        at: rotatedAt,
      };
      this.logger.log(`key rotated: domain=${result.domain} kid=${result.kid} previous=${result.previousKid} actor=${actor}`);
      return result;
    } finally {
      await this.domains.unlockRotation(name, token, rotatedAt);
    }
  }

  /** Rotates every active domain whose key is older than its rotation period. */
  async rotateDue(actor: string): Promise<RotationResult[]> {
    const results: RotationResult[] = [];
    for (const domain of await this.domains.list()) {
      if (domain.status !== 'active') continue;
      const at = this.clock.now().toISOString();
      try {
        if (!(await this.isDue(domain))) results.push({ domain: domain.name, status: 'skipped', actor, at });
        else results.push(await this.rotate(domain.name, actor));
      } catch (error) {
        const status = error instanceof RotationInProgress ? 'in-progress' : error instanceof RotationTooSoon ? 'skipped' : 'failed';
        this.logger.error(`rotation of ${domain.name} ${status}: ${error instanceof Error ? error.message : String(error)}`);
        results.push({ domain: domain.name, status, actor, at });
      }
    }
    return results;
  }

  /** One step, as a Secrets Manager rotation Lambda receives it. */
  async runStep(domainName: string, token: string, step: RotationStep, actor: string): Promise<void> {
    const domain = await this.domains.get(domainName);
    if (step === 'createSecret') await this.createSecret(domain, token, actor);
    else if (step === 'testSecret') await this.testSecret(domain.name, token);
    else if (step === 'finishSecret' && !(await this.finishSecret(domain.name, token))) throw new RotationInProgress();
    // setSecret: the keys are used by this service alone, there is no other system to update.
  }

  /** The domain's key versions without secret material: the rotation audit trail. */
  async listKeys(domainName: string): Promise<Array<Omit<SigningKey, 'privateJwk' | 'publicJwk'> & { stages: string[] }>> {
    await this.domains.get(domainName);
    const versions = await this.store.versions(domainName);
    return versions.map(({ stages, key: { kid, alg, createdAt, createdBy } }) => ({ kid, alg, createdAt, createdBy, stages }));
  }

  private async createSecret(domain: Domain, token: string, actor: string): Promise<void> {
    const versions = await this.store.versions(domain.name);
    if (versions.some((version) => version.versionId === token)) return;
    await this.store.putPending(domain.name, token, await this.keys.generate(domain.algorithm, actor));
    this.keys.invalidate(domain.name);
  }

  /** Signs and verifies a probe token with the pending key before anything depends on it. */
  private async testSecret(domainName: string, token: string): Promise<void> {
    const pending = await this.version(domainName, token);
    const { alg, kid, privateJwk, publicJwk } = pending.key;
    try {
      const probe = await new SignJWT({ probe: true }).setProtectedHeader({ alg, kid }).sign(await importJWK(privateJwk, alg));
      await jwtVerify(probe, await importJWK(publicJwk ?? privateJwk, alg), { algorithms: [alg] });
    } catch {
      throw new RotationFailed();
    }
  }

  /** Promotes the pending version; true when it is (or already was) AWSCURRENT. */
  private async finishSecret(domainName: string, token: string): Promise<boolean> {
    const { current } = await this.versionsOf(domainName);
    if (current.versionId === token) return true;
    await this.version(domainName, token);
    const promoted = await this.store.promote(domainName, token, current.versionId);
    this.keys.invalidate(domainName);
    return promoted;
  }

  /** Whether every token the AWSPREVIOUS key signed belongs to a session that has ended. */
  private previousKeyRetired(domain: Domain): boolean {
    if (!domain.lastRotatedAt) return true;
    // Instances keep signing with a key for up to KEY_CACHE_SECONDS after it was rotated out.
    const lastSignedAt = Date.parse(domain.lastRotatedAt) + this.config.keyCacheSeconds * 1000;
    return lastSignedAt + domain.sessionTtlSeconds * 1000 <= this.clock.now().getTime();
  }

  private async isDue(domain: Domain): Promise<boolean> {
    const since = domain.lastRotatedAt ?? (await this.versionsOf(domain.name)).current.key.createdAt;
    return Date.parse(since) + domain.rotationPeriodDays * DAY_MS <= this.clock.now().getTime();
  }

  private async versionsOf(domainName: string) {
    const keys = byStage(await this.store.versions(domainName));
    if (!keys) throw new DomainNotFound();
    return keys;
  }

  private async version(domainName: string, token: string): Promise<KeyVersion> {
    const version = (await this.store.versions(domainName)).find((candidate) => candidate.versionId === token);
    if (!version) throw new RotationFailed(`No key version ${token} to rotate to`);
    return version;
  }
}
