import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { InvalidRefreshToken, SessionNotFound } from '../common/errors.js';
import { randomSecret, sha256 } from '../common/secrets.js';
import { Domain } from '../domains/domain.js';
import { DomainsService } from '../domains/domains.service.js';
import { SESSION_ID_PATTERN, Session, isSessionAlive } from './session.js';
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
  ) {}

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

  isExpired(session: Session): boolean {
    return session.expiresAt <= this.clock.now().getTime();
  }

  /** Consumes the presented refresh credential and returns its successor. */
  async rotateRefreshCredential(session: Session, presented: unknown): Promise<string> {
    if (typeof presented !== 'string' || presented.length === 0) throw new InvalidRefreshToken();
    const next = randomSecret();
    const rotated = await this.sessions.rotateRefreshHash(session.id, sha256(presented), sha256(next), this.clock.now().getTime());
    if (!rotated) throw new InvalidRefreshToken();
    return next;
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
