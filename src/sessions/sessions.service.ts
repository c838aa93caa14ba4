import { Injectable, Logger } from '@nestjs/common';
import { MetricsService } from '../metrics/metrics.service.js';
import { Clock } from '../common/clock.js';
import { inBatches } from '../common/in-batches.js';
import { RequestClient } from '../common/request-client.js';
import { AppError, InvalidRefreshToken, InvalidSession, SessionExpired, SessionNotFound } from '../common/errors.js';
import { constantTimeEqual, randomId, randomSecret, sha256 } from '../common/secrets.js';
import { Domain } from '../domains/domain.js';
import { ClientsService } from '../clients/clients.service.js';
import { EventsService } from '../events/events.service.js';
import { DomainsService } from '../domains/domains.service.js';
import { newRefreshToken, parseRefreshToken } from './refresh-token.js';
import {
  PresentedRefreshToken,
  SESSION_ID_PATTERN,
  Session,
  SessionOwner,
  UserRef,
  isSessionAlive,
  isUnredeemedCode,
  startedFrom,
} from './session.js';
import { SessionsRepository } from './sessions.repository.js';

export interface StartedSession {
  session: Session;
  /** The single-use refresh credential, handed out once inside the token. */
  refreshToken: string;
}

/** An OAuth refresh: who asks, for which scopes, and the client's rules. */
export interface ClientRefresh {
  domain: string;
  clientId: string;
  /** The narrowed scope asked for: each must be in the session's grant (empty: no narrowing). */
  scopes: readonly string[];
  graceSeconds: number;
  refreshTtlSeconds: number;
}

/** What an OAuth grant starts a session with. */
export interface ClientGrant {
  clientId: string;
  /** Space-delimited. */
  scope: string;
  refreshTtlSeconds: number;
}

@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly domains: DomainsService,
    private readonly clients: ClientsService,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
    private readonly events: EventsService,
  ) {}

  private readonly logger = new Logger(SessionsService.name);

  /** A session of the old contract (POST /login), recording the client it started from. */
  async start(domain: Domain, username: string, client: RequestClient): Promise<StartedSession> {
    const now = this.clock.now().getTime();
    const refreshToken = randomSecret();
    const session: Session = {
      id: randomId(),
      domain: domain.name,
      username,
      refreshHash: sha256(refreshToken),
      createdAt: now,
      expiresAt: now + domain.sessionTtlSeconds * 1000,
      ...startedFrom(client),
    };
    await this.sessions.create(session);
    return { session, refreshToken };
  }

  /**
   * An OAuth session: the grant's client and scope, and a refresh token living `refreshTtlSeconds`
   * unused, the domain's session lifetime at most.
   */
  async startForClient(domain: Domain, username: string, grant: ClientGrant, client: RequestClient): Promise<StartedSession> {
    const now = this.clock.now().getTime();
    const id = randomId();
    const refresh = newRefreshToken(id, 0);
    const session: Session = {
      id,
      domain: domain.name,
      username,
      refreshHash: sha256(refresh.token),
      createdAt: now,
      expiresAt: now + domain.sessionTtlSeconds * 1000,
      clientId: grant.clientId,
      scope: grant.scope,
      refreshExpiresAt: now + grant.refreshTtlSeconds * 1000,
      generation: 0,
      ...startedFrom(client),
    };
    await this.sessions.create(session);
    return { session, refreshToken: refresh.token };
  }

  /**
   * Trades the client's refresh token for the next one: one conditional write when it is the
   * current token. When it is the token the last rotation consumed, within `grace.seconds`, the
   * answer was lost: the retry gets a new token that replaces the one issued first. Any other
   * consumed token of the session coming again proves the chain was copied: the session is
   * revoked (RFC 9700 §4.14.2). Undefined when refused.
   */
  async refreshForClient(token: string, request: ClientRefresh): Promise<StartedSession | undefined> {
    const parsed = parseRefreshToken(token);
    if (!parsed) return undefined;
    const now = this.clock.now().getTime();
    const { domain, clientId, scopes } = request;
    const presented: PresentedRefreshToken = {
      sessionId: parsed.sessionId,
      domain,
      clientId,
      generation: parsed.generation,
      hash: sha256(token),
      scopes,
    };
    const next = newRefreshToken(parsed.sessionId, parsed.generation + 1);
    const nextHash = sha256(next.token);
    const rotated = await this.sessions.rotateClientRefresh(presented, nextHash, now, now + request.refreshTtlSeconds * 1000);
    if (rotated) return { session: rotated, refreshToken: next.token };
    const retried = await this.sessions.replaceLostRefresh(presented, nextHash, now, now - request.graceSeconds * 1000);
    if (retried) {
      this.metrics.refreshReuse('within_grace');
      return { session: retried, refreshToken: next.token };
    }
    if (await this.sessions.revokeForConsumedRefresh(presented, now)) {
      this.metrics.refreshReuse('revoked');
      this.events.record({ type: 'refresh_reuse_detected', domain, clientId, sessionId: parsed.sessionId });
      this.logger.warn(`A consumed refresh token of session ${parsed.sessionId} (${domain}) came again: session revoked`);
    }
    return undefined;
  }

  /** The scope granted to the session whose current refresh token this is (to explain a refusal). */
  async scopeOfRefreshToken(token: string): Promise<string[] | undefined> {
    const parsed = parseRefreshToken(token);
    const session = parsed && (await this.sessions.find(parsed.sessionId));
    if (!session || !constantTimeEqual(session.refreshHash, sha256(token))) return undefined;
    return session.scope ? session.scope.split(' ') : [];
  }

  /**
   * Ends the session a client's refresh token names, if it is that client's current token (RFC
   * 7009: revoking a refresh token ends the grant). False otherwise: nothing was revoked.
   */
  revokeByRefreshToken(token: string, owner: { domain: string; clientId: string }): Promise<boolean> {
    const parsed = parseRefreshToken(token);
    if (!parsed) return Promise.resolve(false);
    return this.sessions.revokeForClient(parsed.sessionId, owner, this.clock.now().getTime(), sha256(token));
  }

  /** Ends a session of the client's (one its access token names); false if it is not the client's. */
  revokeForClient(sessionId: string, owner: { domain: string; clientId: string }): Promise<boolean> {
    if (!SESSION_ID_PATTERN.test(sessionId)) return Promise.resolve(false);
    return this.sessions.revokeForClient(sessionId, owner, this.clock.now().getTime());
  }

  find(id: string): Promise<Session | undefined> {
    return SESSION_ID_PATTERN.test(id) ? this.sessions.find(id) : Promise.resolve(undefined);
  }

  /**
   * Whether the session exists, is not revoked, not past its lifetime, its domain is enabled, and
   * (an OAuth session) its client is active. The session and client are read from the store, never
   * cached: a revocation, or a client disabled or deleted, counts at once.
   */
  async isValid(id: string): Promise<boolean> {
    const session = await this.find(id);
    if (!session || !isSessionAlive(session, this.clock.now().getTime())) return false;
    const [domain, client] = await Promise.all([
      this.domains.findActive(session.domain),
      session.clientId === undefined ? true : this.clients.findActive(session.domain, session.clientId),
    ]);
    return domain !== undefined && client !== undefined;
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
      this.events.record({ type: 'refresh_reuse_detected', domain: owner.domain, username: owner.username, sessionId: session.id });
      this.logger.warn(`A consumed refresh credential of session ${session.id} (${owner.domain}) came again: session revoked`);
    } else {
      this.metrics.refreshReuse('within_grace');
    }
    return new InvalidRefreshToken();
  }

  /**
   * Revokes the session and returns it (a logout, an admin's revocation); 404 if there is none. A
   * browser session takes the app sessions signed in through it along.
   */
  async revoke(id: string): Promise<Session> {
    const revoked = SESSION_ID_PATTERN.test(id) ? await this.sessions.revoke(id, this.clock.now().getTime()) : undefined;
    if (!revoked) throw new SessionNotFound();
    await this.endAppSessions(revoked);
    return revoked;
  }

  /** The app sessions a revoked browser session signed in, ended a batch at a time (a logout that sticks everywhere). */
  private async endAppSessions({ appSessions = [] }: Session): Promise<void> {
    const at = this.clock.now().getTime();
    await inBatches(appSessions, (id) => this.sessions.revoke(id, at));
  }

  /** Deletes every session item of a user whose domain is being deleted. */
  async deleteAllOfUser(domain: string, username: string): Promise<void> {
    const sessions = await this.sessions.listByUser(domain, username);
    await inBatches(sessions, (session) => this.sessions.delete(session.id));
  }

  /** An admin's revocation, on the trail. */
  async revokeAsAdmin(id: string): Promise<void> {
    const { domain, username } = await this.revoke(id);
    this.events.record({ type: 'session_revoked', domain, username, sessionId: id, actor: 'admin' });
  }

  /** Ends one of the owner's sessions; someone else's, or none, is the same 404. */
  async revokeOwned(id: string, owner: UserRef): Promise<void> {
    const revoked = SESSION_ID_PATTERN.test(id) ? await this.sessions.revokeOwned(id, owner, this.clock.now().getTime()) : undefined;
    if (!revoked) throw new SessionNotFound();
    await this.endAppSessions(revoked);
  }

  /**
   * Revokes every live session of a user (disabled, given a new password, logged out everywhere)
   * but `keep` (the session of a user who changed their own password); returns how many.
   */
  async revokeAllForUser(domain: string, username: string, { keep }: { keep?: string } = {}): Promise<number> {
    const now = this.clock.now().getTime();
    const owner = { domain, username };
    const live = (await this.sessions.listByUser(domain, username)).filter(
      (session) => isSessionAlive(session, now) && session.id !== keep,
    );
    await Promise.all(live.map((session) => this.sessions.revokeOwned(session.id, owner, now)));
    return live.length;
  }

  /** The user's sessions, newest first (codes never redeemed are no sessions anyone had). */
  async listForUser(domain: string, username: string): Promise<Session[]> {
    return (await this.sessions.listByUser(domain, username)).filter((session) => !isUnredeemedCode(session));
  }
}
