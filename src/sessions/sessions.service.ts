import { Injectable, Logger } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service.js';
import { Clock } from '../common/clock.js';
import { AppError, InvalidRefreshToken, InvalidSession, SessionExpired, SessionNotFound } from '../common/errors.js';
import { randomSecret, sha256 } from '../common/secrets.js';
import { Domain } from '../domains/domain.js';
import { DomainsService } from '../domains/domains.service.js';
import { SESSION_ID_PATTERN, Session, SessionOwner, isSessionAlive } from './session.js';
import { SessionsRepository } from './sessions.repository.js';

export interface StartedSession {
  session: Session;
  /** The single-use refresh credential, handed out once inside the token. */
  refreshToken: string;
}

@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly domains: DomainsService,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
  ) {}

  private readonly logger = new Logger(SessionsService.name);

  async start(domain: Domain, username: string): Promise<StartedSession> {
    const now = this.clock.now().getTime();
    const refreshToken = randomSecret();
    const session: Session = {
      id: randomSecret(16),
      domain: domain.name,
      username,
      refreshHash: sha256(refreshToken),
      createdAt: now,
      expiresAt: now + domain.sessionTtlSeconds * 1000,
    };
    await this.sessions.create(session);
    return { session, refreshToken };
  }

  find(id: string): Promise<Session | undefined> {
    return SESSION_ID_PATTERN.test(id) ? this.sessions.find(id) : Promise.resolve(undefined);
  }

  /**
   * Whether the session exists, is not revoked, not past its lifetime, and its domain is enabled.
   * The session is read from the store, never cached (a revocation counts at once).
   */
  async isValid(id: string): Promise<boolean> {
    const session = await this.find(id);
    if (!session || !isSessionAlive(session, this.clock.now().getTime())) return false;
    return (await this.domains.findActive(session.domain)) !== undefined;
  }

  /**
   * Consumes the presented refresh credential of the owner's session and returns its successor.
   * The success path is a single conditional write; only a refusal reads the session, to say why.
   */
  async rotateRefreshCredential(owner: SessionOwner, presented: unknown, reuseGraceSeconds: number): Promise<string> {
    const now = this.clock.now().getTime();
    const next = randomSecret();
    const usable = typeof presented === 'string' && presented.length > 0 && SESSION_ID_PATTERN.test(owner.id);
    if (usable && (await this.sessions.rotateRefreshHash(owner, sha256(presented), sha256(next), now))) return next;
    throw await this.whyRefreshFailed(owner, usable ? sha256(presented) : undefined, now, reuseGraceSeconds);
  }

  /**
   * The contract's answer to a refused refresh, in its order: session, lifetime, credential. A
   * credential of this session's that is not its current one can only be a consumed one (tokens are
   * signed: nobody else makes them), so past the grace period its reuse revokes the session
   * (RFC 9700 §4.14.2): whoever stole it and the real user both log in again. Within the grace
   * period it is two tabs refreshing at once, and only refused.
   */
  private async whyRefreshFailed(
    owner: SessionOwner,
    presentedHash: string | undefined,
    now: number,
    graceSeconds: number,
  ): Promise<AppError> {
    const session = await this.find(owner.id);
    const owned = session?.domain === owner.domain && session.username === owner.username;
    if (!session || !owned || session.revokedAt !== undefined) return new InvalidSession();
    if (session.expiresAt <= now) return new SessionExpired();
    if (presentedHash && (await this.sessions.revokeForReuse(session.id, presentedHash, now, now - graceSeconds * 1000))) {
      this.metrics.refreshReuse('revoked');
      this.logger.warn(`A consumed refresh credential of session ${session.id} (${owner.domain}) came again: session revoked`);
    } else {
      this.metrics.refreshReuse('within_grace');
    }
    return new InvalidRefreshToken();
  }

  async revoke(id: string): Promise<void> {
    const revoked = SESSION_ID_PATTERN.test(id) && (await this.sessions.revoke(id, this.clock.now().getTime()));
    if (!revoked) throw new SessionNotFound();
  }

  /** Revokes every live session of a user (disabled, or given a new password); returns how many. */
  async revokeAllForUser(domain: string, username: string): Promise<number> {
    const now = this.clock.now().getTime();
    const live = (await this.sessions.listByUser(domain, username)).filter((session) => isSessionAlive(session, now));
    await Promise.all(live.map((session) => this.sessions.revoke(session.id, now)));
    return live.length;
  }

  listForUser(domain: string, username: string): Promise<Session[]> {
    return this.sessions.listByUser(domain, username);
  }
}
