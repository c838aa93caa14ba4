import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { InvalidLoginDomain, InvalidSession } from '../common/errors.js';
import { Domain } from '../domains/domain.js';
import { DomainsService } from '../domains/domains.service.js';
import { MetricsService, Outcome } from '../metrics/metrics.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { Session, isSessionAlive } from '../sessions/session.js';
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
  authenticate(domainName: string, username: string, password: string): Promise<Principal> {
    return counted(
      onlyFailures((result) => this.metrics.login(result)),
      async () => {
        const domain = await this.domains.findActive(domainName);
        if (!domain) throw new InvalidLoginDomain();
        await this.users.verifyCredentials(domain.name, username, password);
        return { domain, username };
      },
    );
  }

  login({ domain, username }: Principal): Promise<string> {
    return counted(
      (result) => this.metrics.login(result),
      async () => {
        const { session, refreshToken } = await this.sessions.start(domain, username);
        return this.tokens.issue(domain, username, session.id, refreshToken);
      },
    );
  }

  /** Trades a (possibly expired) token for a new one, consuming its refresh credential. */
  refresh(token: string): Promise<string> {
    return counted(
      (result) => this.metrics.refresh(result),
      async () => {
        // Disabling a user revokes its sessions, so the session's own state is the whole check.
        const { claims, domain } = await this.tokens.verify(token, { allowExpired: true });
        const owner = { id: claims.session, domain: domain.name, username: claims.username };
        const refreshToken = await this.sessions.rotateRefreshCredential(owner, claims.refresh_token);
        return this.tokens.issue(domain, claims.username, owner.id, refreshToken);
      },
    );
  }

  async status(token: string): Promise<TokenStatus> {
    const verified = await this.sessionOf(token);
    const alive = verified.session !== undefined && isSessionAlive(verified.session, this.clock.now().getTime());
    return { valid: alive && !verified.expired, expired: verified.expired, expiryString: this.expiryString(verified) };
  }

  /** Revokes the session the token names; an expired token may still log out. */
  async logout(token: string): Promise<void> {
    const { session } = await this.sessionOf(token);
    if (!session) throw new InvalidSession();
    await this.sessions.revoke(session.id);
  }

  /** The verified (possibly expired) token and its session, if that session is the token's own. */
  private async sessionOf(token: string): Promise<VerifiedToken & { session?: Session }> {
    const verified = await this.tokens.verify(token, { allowExpired: true });
    const session = await this.sessions.find(verified.claims.session);
    const owned = session?.domain === verified.domain.name && session.username === verified.claims.username;
    return { ...verified, session: owned ? session : undefined };
  }

  /** Whole minutes: started ones while active (a fresh token says 5), completed ones since expiry. */
  private expiryString({ claims, expired }: VerifiedToken): string {
    const seconds = claims.exp - this.clock.nowSeconds();
    return expired ? `Expired ${Math.floor(-seconds / 60)} minutes` : `Active for ${Math.ceil(seconds / 60)} minutes`;
  }
}

/** Runs `work`, reporting whether it succeeded. */
async function counted<T>(report: (result: Outcome) => void, work: () => Promise<T>): Promise<T> {
  try {
    const value = await work();
    report('ok');
    return value;
  } catch (error) {
    report('failed');
    throw error;
  }
}

const onlyFailures = (report: (result: Outcome) => void) => (result: Outcome) => result === 'failed' && report(result);
