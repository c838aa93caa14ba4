import { Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthService } from '../auth/auth.service.js';
import { AppError, InvalidCredentials, TooManyAttempts } from '../common/errors.js';
import { Clock } from '../common/clock.js';
import { requestClient } from '../common/request-client.js';
import { EventsService } from '../events/events.service.js';
import { AuthorizationRefused, AuthorizationRequest, AuthorizationRequests } from '../oauth/authorization-request.js';
import { BrowserSessionsService } from '../sessions/browser-sessions.service.js';
import { Session } from '../sessions/session.js';
import { setSignOnCookie, signOnCookieOf } from './browser-cookies.js';
import { csrfTokenFor, isSameOriginForm } from './csrf.js';
import { brandingOf, formTarget, sendPage, sendRedirect } from './page-reply.js';
import { loginPage, messagePage } from './pages.js';

/** What the login form says when it comes back. */
const MESSAGES = {
  missing: 'Enter your username and password.',
  invalid: 'Invalid username or password.',
  csrf: 'This sign-in form has expired or did not come from this page. Go back to the application and try again.',
  unavailable: 'Sign-in is temporarily unavailable. Please try again in a moment.',
};

const minutes = (seconds: number) => Math.max(1, Math.ceil(seconds / 60));

/**
 * The hosted login page's flow: an authorization request is checked, then answered with a code
 * at once when the browser is signed in (single sign-on), with an error when it must not ask
 * (prompt=none), or with the login form; the form's POST runs the one credential check every
 * way in uses, signs the browser in, and redirects to the app with a code.
 */
@Injectable()
export class SignInService {
  private readonly logger = new Logger(SignInService.name);

  constructor(
    private readonly requests: AuthorizationRequests,
    private readonly auth: AuthService,
    private readonly browserSessions: BrowserSessionsService,
    private readonly events: EventsService,
    private readonly clock: Clock,
  ) {}

  authorize(domainName: string, query: URLSearchParams, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    return this.answering(reply, async () => {
      const authorization = await this.requests.validate(domainName, query);
      const browser = await this.browserSessions.resume(domainName, signOnCookieOf(request, domainName));
      if (browser && this.signedInRecently(browser, authorization)) return this.redirectWithCode(authorization, browser, request, reply);
      if (authorization.prompt === 'none') {
        const { domain, redirectUri, state } = authorization;
        throw new AuthorizationRefused(domain, redirectUri, 'login_required', 'The user is not signed in', state);
      }
      return this.showForm(authorization, request, reply, 200, { username: authorization.loginHint });
    });
  }

  submit(domainName: string, form: URLSearchParams, request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    return this.answering(reply, async () => {
      const authorization = await this.requests.validate(domainName, form);
      if (!isSameOriginForm(request, form)) return this.showForm(authorization, request, reply, 403, { error: MESSAGES.csrf });
      const [username, password] = ['username', 'password'].map((name) => {
        const values = form.getAll(name);
        return values.length === 1 && values[0] !== '' ? values[0] : undefined;
      });
      if (username === undefined || password === undefined) {
        return this.showForm(authorization, request, reply, 400, { username, error: MESSAGES.missing });
      }
      const client = requestClient(request);
      try {
        await this.auth.authenticate(domainName, username, password, client.clientAddress);
      } catch (error) {
        if (error instanceof InvalidCredentials)
          return this.showForm(authorization, request, reply, 401, { username, error: MESSAGES.invalid });
        if (error instanceof TooManyAttempts) {
          reply.header('retry-after', String(error.retryAfterSeconds));
          const error_ = `Too many sign-in attempts. Try again in ${minutes(error.retryAfterSeconds)} minute(s).`;
          return this.showForm(authorization, request, reply, 429, { username, error: error_ });
        }
        throw error;
      }
      const current = await this.browserSessions.resume(domainName, signOnCookieOf(request, domainName));
      const { session, cookie } = await this.browserSessions.signIn(authorization.domain, username, current, client);
      if (cookie !== undefined) setSignOnCookie(reply, domainName, cookie, session.expiresAt);
      const { clientId } = authorization.client;
      this.events.record({ type: 'login_succeeded', domain: domainName, username, clientId, sessionId: session.id });
      return this.redirectWithCode(authorization, session, request, reply);
    });
  }

  /** Signed in, and recently enough for what the request asks (prompt=login, max_age: OIDC Core §3.1.2.1). */
  private signedInRecently(browser: Session, { prompt, maxAge }: AuthorizationRequest): boolean {
    if (prompt === 'login') return false;
    const authTime = browser.authTime ?? browser.createdAt;
    return maxAge === undefined || this.clock.now().getTime() - authTime <= maxAge * 1000;
  }

  private async redirectWithCode(
    authorization: AuthorizationRequest,
    browser: Session,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply> {
    const { domain, client, redirectUri, state, scope, codeChallenge, nonce } = authorization;
    const code = await this.browserSessions.issueCode(
      browser,
      { clientId: client.clientId, scope, redirectUri, codeChallenge, nonce },
      requestClient(request),
    );
    return sendRedirect(reply, this.requests.redirect(domain, redirectUri, { code, state }));
  }

  private showForm(
    authorization: AuthorizationRequest,
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    { username, error }: { username?: string; error?: string },
  ): FastifyReply {
    const csrfToken = csrfTokenFor(request, reply);
    const { domain, parameters, redirectUri } = authorization;
    return sendPage(
      reply,
      status,
      (nonce) =>
        loginPage({
          branding: brandingOf(domain),
          action: `/domains/${domain.name}/oauth2/authorize`,
          hidden: parameters,
          csrfToken,
          username,
          error,
          nonce,
        }),
      [formTarget(redirectUri)],
    );
  }

  /** Refusals as the flow tells them: at the client's redirect URI once it is trusted, on a page before. */
  private async answering(reply: FastifyReply, flow: () => Promise<FastifyReply>): Promise<FastifyReply> {
    try {
      return await flow();
    } catch (error) {
      if (error instanceof AuthorizationRefused) {
        const { domain, redirectUri, state, description } = error;
        return sendRedirect(
          reply,
          this.requests.redirect(domain, redirectUri, { error: error.error, error_description: description, state }),
        );
      }
      const status = error instanceof AppError ? error.status : 500;
      if (status >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      const [title, message] =
        status >= 500 ? ['Sign-in unavailable', MESSAGES.unavailable] : ['Sign-in link not valid', (error as AppError).message];
      return sendPage(reply, status, (nonce) => messagePage({ branding: brandingOf(undefined), title, message, nonce }));
    }
  }
}
