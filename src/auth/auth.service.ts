import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import {
  AccessDenied,
  AppError,
  InvalidCredentials,
  InvalidLoginDomain,
  InvalidSession,
  SessionExpired,
  TokenExpired,
  TooManyAttempts,
} from '../common/errors.js';
import { RequestClient } from '../common/request-client.js';
import { Domain } from '../domains/domain.js';
import { DomainsService } from '../domains/domains.service.js';
import { EventsService } from '../events/events.service.js';
import { LoginOutcome, MetricsService } from '../metrics/metrics.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { Session, isSessionAlive } from '../sessions/session.js';
import { LoginThrottleService } from '../throttling/login-throttle.service.js';
import { TokensService, VerifiedToken } from '../tokens/tokens.service.js';
import { UsersService } from '../users/users.service.js';
import { expiryString } from './expiry-string.js';

export interface Principal {
  domain: Domain;
  username: string;
}

/** A principal the credential check just let in, and the stored hash the password matched (see VerifiedUser). */
export interface AuthenticatedPrincipal extends Principal {
  checkedHash: string;
}

/** The user an unexpired token of a live session proves, and that session: the self-service routes' caller. */
export interface SignedInUser extends Principal {
  session: Session;
}

/** Who a token that /auth accepted belongs to. */
export interface Identity {
  domain: string;
  username: string;
  session: string;
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
    private readonly throttle: LoginThrottleService,
    private readonly events: EventsService,
  ) {}

  /**
   * The credential check of every way in: the throttle first (a refused attempt costs no argon2
   * work), then the password; a failure counts against the account and the client's address. A
   * failure here or in `login` counts as one failed login.
   */
  authenticate(domainName: string, username: string, password: string, clientAddress: string): Promise<AuthenticatedPrincipal> {
    return counted(
      onlyFailures((result) => this.metrics.login(result)),
      async () => {
        const domain = await this.domains.findActive(domainName);
        if (!domain) throw new InvalidLoginDomain();
        const trail = { domain: domain.name, username };
        const attempt = await this.throttle.admit(domain, username, clientAddress).catch((error: unknown) => {
          if (error instanceof TooManyAttempts) this.events.record({ ...trail, type: 'login_throttled' });
          throw error;
        });
        let checkedHash: string;
        try {
          ({ checkedHash } = await this.users.verifyCredentials(domain.name, username, password));
        } catch (error) {
          if (error instanceof InvalidCredentials) {
            await this.throttle.failed(attempt);
            // One event type for an unknown user and a wrong password; which it was, only here.
            this.events.record({ ...trail, type: 'login_failed', reason: error.reason });
          }
          throw error;
        }
        await this.throttle.succeeded(attempt);
        return { domain, username, checkedHash };
      },
    );
  }

  login({ domain, username }: Principal, client: RequestClient): Promise<string> {
    return counted(
      (result) => this.metrics.login(result),
      async () => {
        const { session, refreshToken } = await this.sessions.start(domain, username, client);
        const token = await this.tokens.issue(domain, username, session.id, refreshToken);
        this.events.record({ type: 'login_succeeded', domain: domain.name, username, sessionId: session.id });
        return token;
      },
    );
  }

  /** Trades a (possibly expired) token for a new one, consuming its refresh credential. */
  refresh(token: string): Promise<string> {
    return counted(
      (result) => this.metrics.refresh(result === 'ok' ? 'ok' : 'failed'),
      async () => {
        // Disabling a user revokes its sessions, so the session's own state is the whole check.
        const { claims, domain } = await this.tokens.verify(token, { allowExpired: true });
        const owner = { id: claims.session, domain: domain.name, username: claims.username };
        const refreshToken = await this.sessions
          .rotateRefreshCredential(owner, claims.refresh_token, domain.refreshReuseGraceSeconds)
          .catch((error: unknown) => {
            // Only for a token the domain signed: forged ones would let anyone write into any domain's trail.
            const reason = error instanceof AppError && error.status < 500 ? error.code : undefined;
            if (reason)
              this.events.record({ type: 'refresh_refused', domain: domain.name, username: owner.username, sessionId: owner.id, reason });
            throw error;
          });
        return this.tokens.issue(domain, claims.username, owner.id, refreshToken);
      },
    );
  }

  /**
   * The old meaning: `valid` when the signature verifies, expired or not; and, what the old service
   * could not know, false once the token's session is revoked or over.
   */
  async status(token: string): Promise<TokenStatus> {
    const { session, claims, expired } = await this.sessionOf(token);
    const alive = session !== undefined && isSessionAlive(session, this.clock.now().getTime());
    return { valid: alive, expired, expiryString: expiryString(claims.exp - this.clock.nowSeconds()) };
  }

  /**
   * The forward-auth check of `GET /auth`: an unexpired token of a live session of an enabled
   * domain. Every refusal is a 403 carrying the reason a refresh would give; a store fault stays a 503.
   */
  async authorize(token: string): Promise<Identity> {
    try {
      const { session } = await this.signedIn(token);
      return { domain: session.domain, username: session.username, session: session.id };
    } catch (error) {
      if (error instanceof AppError && error.status === 401) throw new AccessDenied(error.code, error.message);
      throw error;
    }
  }

  /**
   * Who an unexpired token of a live session of an enabled domain belongs to: what `GET /auth`
   * accepts, and what the self-service routes ask of their caller (401 with the reason otherwise).
   */
  async signedIn(token: string): Promise<SignedInUser> {
    const verified = await this.tokens.verify(token, { allowExpired: true });
    if (verified.expired) throw new TokenExpired();
    const session = await this.ownSession(verified);
    if (!session || session.revokedAt !== undefined) throw new InvalidSession();
    if (!isSessionAlive(session, this.clock.now().getTime())) throw new SessionExpired();
    return { domain: verified.domain, username: session.username, session };
  }

  /** Revokes the session the token names; an expired token may still log out. */
  async logout(token: string): Promise<void> {
    const { session } = await this.sessionOf(token);
    if (!session) throw new InvalidSession();
    await this.sessions.revoke(session.id);
    this.events.record({ type: 'logout', domain: session.domain, username: session.username, sessionId: session.id, actor: 'user' });
  }

  /** Revokes every session of the token's user; it takes what `signedIn` takes, as the other self-service routes do. */
  async logoutEverywhere(token: string): Promise<void> {
    const { domain, username, session } = await this.signedIn(token);
    await this.sessions.revokeAllForUser(domain.name, username);
    this.events.record({ type: 'logout', domain: domain.name, username, sessionId: session.id, actor: 'user', reason: 'all_sessions' });
  }

  /** The verified (possibly expired) token and its session, if that session is the token's own. */
  private async sessionOf(token: string): Promise<VerifiedToken & { session?: Session }> {
    const verified = await this.tokens.verify(token, { allowExpired: true });
    return { ...verified, session: await this.ownSession(verified) };
  }

  private async ownSession({ claims, domain }: VerifiedToken): Promise<Session | undefined> {
    const session = await this.sessions.find(claims.session);
    return session?.domain === domain.name && session.username === claims.username ? session : undefined;
  }
}

/** Runs `work`, reporting whether it succeeded (a throttled login is told apart). */
async function counted<T>(report: (result: LoginOutcome) => void, work: () => Promise<T>): Promise<T> {
  try {
    const value = await work();
    report('ok');
    return value;
  } catch (error) {
    report(error instanceof TooManyAttempts ? 'throttled' : 'failed');
    throw error;
  }
}

const onlyFailures = (report: (result: LoginOutcome) => void) => (result: LoginOutcome) => result !== 'ok' && report(result);
