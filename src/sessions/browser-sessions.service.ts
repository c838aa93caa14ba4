import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { RequestClient } from '../common/request-client.js';
import { constantTimeEqual, randomId, randomSecret, sha256 } from '../common/secrets.js';
import { Domain } from '../domains/domain.js';
import { EventsService } from '../events/events.service.js';
import { newRefreshToken } from './refresh-token.js';
import { Session, isSessionAlive, startedFrom } from './session.js';
import { newSessionCredential, parseSessionCredential } from './session-credential.js';
import { SessionsRepository } from './sessions.repository.js';
import { SessionsService, StartedSession } from './sessions.service.js';

/** How long an authorization code may wait for its redemption (RFC 6749 §4.1.2: short; OAuth 2.1: at most a minute). */
export const AUTHORIZATION_CODE_TTL_SECONDS = 60;

/** How many app sessions one browser session signs in before it asks for the password again (bounds its item). */
export const MAX_APP_SESSIONS = 1000;

/** What an authorization code is for: a client, where it goes, what it grants, its PKCE challenge and OIDC nonce. */
export interface CodeRequest {
  clientId: string;
  /** Space-delimited. */
  scope: string;
  redirectUri: string;
  codeChallenge?: string;
  nonce?: string;
}

/** What a redemption at the token endpoint must match. */
export interface CodeRedemption {
  domain: string;
  clientId: string;
  redirectUri: string;
  /** BASE64URL(SHA-256(code_verifier)), when a verifier came. */
  codeChallenge?: string;
  refreshTtlSeconds: number;
}

export interface SignedInBrowser {
  session: Session;
  /** The cookie value, when the sign-in started a new browser session. */
  cookie?: string;
}

/**
 * A browser's single sign-on at the hosted login page, and the app sessions it starts: one per
 * authorization code, created waiting for the code and linked to the browser session, so that
 * ending the browser session (logout, an admin, the user) ends every app it signed in.
 */
@Injectable()
export class BrowserSessionsService {
  private readonly logger = new Logger(BrowserSessionsService.name);

  constructor(
    private readonly repository: SessionsRepository,
    private readonly sessions: SessionsService,
    private readonly clock: Clock,
    private readonly events: EventsService,
  ) {}

  /** The live browser session of `domain` a cookie proves, or undefined. */
  async resume(domain: string, cookie: string | undefined): Promise<Session | undefined> {
    const credential = cookie === undefined ? undefined : parseSessionCredential(cookie);
    const session = credential && (await this.repository.find(credential.sessionId));
    const proven =
      session?.kind === 'browser' &&
      session.domain === domain &&
      constantTimeEqual(session.refreshHash, sha256(cookie as string)) &&
      isSessionAlive(session, this.clock.now().getTime()) &&
      // A browser session that signed in as many apps as it may asks for the password again.
      (session.appSessions?.length ?? 0) < MAX_APP_SESSIONS;
    return proven ? session : undefined;
  }

  /**
   * Signs the browser in after the credential check: the same user's live browser session gets a
   * new auth time (its cookie stays); otherwise a new one starts, and the one the browser had ends.
   */
  async signIn(domain: Domain, username: string, current: Session | undefined, client: RequestClient): Promise<SignedInBrowser> {
    const now = this.clock.now().getTime();
    if (current?.username === username && (await this.repository.reauthenticate(current.id, username, now, MAX_APP_SESSIONS))) {
      return { session: { ...current, authTime: now } };
    }
    // Another user's (or a full) browser session ends: one browser, one signed-in user, and every logout sticks.
    if (current) await this.end(current);
    const cookie = newSessionCredential(randomId());
    const session: Session = {
      id: cookie.sessionId,
      kind: 'browser',
      domain: domain.name,
      username,
      refreshHash: sha256(cookie.value),
      createdAt: now,
      authTime: now,
      expiresAt: now + domain.sessionTtlSeconds * 1000,
      ...startedFrom(client),
    };
    await this.repository.create(session);
    return { session, cookie: cookie.value };
  }

  /** Ends a browser session and the app sessions it signed in. */
  async end(session: Session): Promise<void> {
    await this.sessions.revoke(session.id);
  }

  /**
   * An authorization code for `request`, starting the app session it will redeem (waiting until
   * then, dead if it never is). It joins the browser session only when redeemed: a code nobody
   * redeems costs the browser session nothing.
   */
  async issueCode(browser: Session, request: CodeRequest, client: RequestClient): Promise<string> {
    const now = this.clock.now().getTime();
    const code = newSessionCredential(randomId());
    const pending: Session = {
      id: code.sessionId,
      domain: browser.domain,
      username: browser.username,
      // Nobody holds a refresh token before the code is redeemed: a hash of nothing anyone has.
      refreshHash: sha256(randomSecret()),
      createdAt: now,
      expiresAt: now + AUTHORIZATION_CODE_TTL_SECONDS * 1000,
      grantEndsAt: browser.expiresAt,
      clientId: request.clientId,
      scope: request.scope,
      refreshExpiresAt: now,
      generation: 0,
      browserSessionId: browser.id,
      authTime: browser.authTime ?? browser.createdAt,
      codeHash: sha256(code.value),
      redirectUri: request.redirectUri,
      ...(request.codeChallenge !== undefined && { codeChallenge: request.codeChallenge }),
      ...(request.nonce !== undefined && { nonce: request.nonce }),
      ...startedFrom(client),
    };
    await this.repository.create(pending);
    return code.value;
  }

  /**
   * Redeems an authorization code: one conditional write checks it and starts the session's
   * refresh chain; a second one links the session to its browser session, on the condition that
   * the browser session still lives (a logout between the code and its redemption refuses it, and
   * ends the session). A code that was redeemed before coming again means it leaked: the session
   * its first redemption started is revoked (RFC 6749 §4.1.2). Undefined when refused.
   */
  async redeemCode(code: string, redemption: CodeRedemption): Promise<StartedSession | undefined> {
    const credential = parseSessionCredential(code);
    if (!credential) return undefined;
    const now = this.clock.now().getTime();
    const refresh = newRefreshToken(credential.sessionId, 0);
    const session = await this.repository.redeemCode(
      {
        sessionId: credential.sessionId,
        hash: sha256(code),
        domain: redemption.domain,
        clientId: redemption.clientId,
        redirectUri: redemption.redirectUri,
        codeChallenge: redemption.codeChallenge,
        refreshHash: sha256(refresh.token),
        refreshExpiresAt: now + redemption.refreshTtlSeconds * 1000,
      },
      now,
    );
    if (session) {
      const { browserSessionId, username, id } = session;
      if (browserSessionId && (await this.repository.linkAppSession(browserSessionId, username, id, now, MAX_APP_SESSIONS))) {
        return { session, refreshToken: refresh.token };
      }
      await this.repository.revoke(id, now);
      return undefined;
    }
    const replayed = await this.repository.revokeForCodeReplay(credential.sessionId, sha256(code), now);
    if (replayed) {
      const { domain, username, clientId, id } = replayed;
      this.events.record({ type: 'authorization_code_reuse_detected', domain, username, clientId, sessionId: id });
      this.logger.warn(`An authorization code of session ${id} (${domain}) came again: session revoked`);
    }
    return undefined;
  }
}
