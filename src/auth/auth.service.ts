import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { InvalidLoginDomain, InvalidSession, SessionExpired } from '../common/errors.js';
import { Domain } from '../domains/domain.js';
import { DomainsService } from '../domains/domains.service.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { isSessionAlive } from '../sessions/session.js';
import { TokensService, VerifiedToken } from '../tokens/tokens.service.js';
import { UsersService } from '../users/users.service.js';

export interface Principal {
  domain: Domain;
  username: string;
}

export interface TokenStatus {
  valid: boolean;
  expired: boolean;
  expiryString: string;
}

/** Login, refresh, status and logout: the contract's flows, composed from the concept modules. */
@Injectable()
export class AuthService {
  constructor(
    private readonly domains: DomainsService,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly tokens: TokensService,
    private readonly clock: Clock,
    private readonly metrics: MetricsService,
  ) {}

  /** The credential check of a login: a failure here or in `login` counts as one failed login. */
  async authenticate(domainName: string, username: string, password: string): Promise<Principal> {
    try {
      const domain = await this.domains.findActive(domainName);
      if (!domain) throw new InvalidLoginDomain();
      await this.users.verifyCredentials(domain.name, username, password);
      return { domain, username };
    } catch (error) {
      this.metrics.login('failed');
      throw error;
    }
  }

  async login({ domain, username }: Principal): Promise<string> {
    try {
      const { session, refreshToken } = await this.sessions.start(domain, username);
      const token = await this.tokens.issue(domain, username, session.id, refreshToken);
      this.metrics.login('ok');
      return token;
    } catch (error) {
      this.metrics.login('failed');
      throw error;
    }
  }

  /** Trades a (possibly expired) token for a new one, consuming its refresh credential. */
  async refresh(token: string): Promise<string> {
    try {
      const { claims, domain } = await this.tokens.verify(token, { allowExpired: true });
      const session = await this.sessions.find(claims.session);
      const ownedByToken = session?.domain === domain.name && session.username === claims.username;
      if (!session || !ownedByToken || session.revokedAt !== undefined) throw new InvalidSession();
      if (this.sessions.isExpired(session)) throw new SessionExpired();
      if (!(await this.users.isActive(domain.name, claims.username))) throw new InvalidSession();
      const refreshToken = await this.sessions.rotateRefreshCredential(session, claims.refresh_token);
      const refreshed = await this.tokens.issue(domain, claims.username, session.id, refreshToken);
      this.metrics.refresh('ok');
      return refreshed;
    } catch (error) {
      this.metrics.refresh('failed');
      throw error;
    }
  }

  async status(token: string): Promise<TokenStatus> {
    const verified = await this.tokens.verify(token, { allowExpired: true });
    const session = await this.sessions.find(verified.claims.session);
    const alive = session !== undefined && session.domain === verified.domain.name && isSessionAlive(session, this.clock.now().getTime());
    return { valid: alive && !verified.expired, expired: verified.expired, expiryString: this.expiryString(verified) };
  }

  /** Revokes the session the token names; an expired token may still log out. */
  async logout(token: string): Promise<void> {
    const { claims, domain } = await this.tokens.verify(token, { allowExpired: true });
    const session = await this.sessions.find(claims.session);
    if (!session || session.domain !== domain.name) throw new InvalidSession();
    await this.sessions.revoke(session.id);
  }

  private expiryString({ claims, expired }: VerifiedToken): string {
    const minutes = Math.floor(Math.abs(claims.exp - this.clock.nowSeconds()) / 60);
    return expired ? `Expired ${minutes} minutes` : `Active for ${minutes} minutes`;
  }
}
