import { Injectable, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Client } from '../clients/client.js';
import { ClientsService } from '../clients/clients.service.js';
import { AppError } from '../common/errors.js';
import { Domain } from '../domains/domain.js';
import { DomainsService } from '../domains/domains.service.js';
import { EventsService } from '../events/events.service.js';
import { BrowserSessionsService } from '../sessions/browser-sessions.service.js';
import { Session } from '../sessions/session.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { TokensService } from '../tokens/tokens.service.js';
import { clearSignOnCookie, signOnCookieOf } from './browser-cookies.js';
import { csrfTokenFor, isSameOriginForm } from './csrf.js';
import { brandingOf, formTarget, sendPage, sendRedirect } from './page-reply.js';
import { logoutConfirmPage, messagePage } from './pages.js';

/** The logout request's parameters (OpenID Connect RP-Initiated Logout 1.0 §2) the confirmation form carries. */
const LOGOUT_PARAMETERS = ['id_token_hint', 'client_id', 'post_logout_redirect_uri', 'state'] as const;

/** A logout request that cannot be trusted with its redirect: told on a page. */
class InvalidLogoutRequest extends AppError {
  readonly status = 400;
  readonly code = 'invalid_logout_request';
}

interface LogoutRequest {
  domain: Domain;
  /** The ID token hint's user and browser session, when a valid hint came. */
  hint?: { sub: string; sid?: string };
  client?: Client;
  redirectUri?: string;
  state?: string;
  parameters: Record<string, string>;
}

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): ends the browser's session and
 * every app session it signed in. An app that proves the sign-in (a valid `id_token_hint`) logs
 * out at once; anything else asks the user first, so no other site can sign them out. The browser
 * goes back only to a `post_logout_redirect_uri` the client registered.
 */
@Injectable()
export class LogoutService {
  private readonly logger = new Logger(LogoutService.name);

  constructor(
    private readonly domains: DomainsService,
    private readonly clients: ClientsService,
    private readonly tokens: TokensService,
    private readonly sessions: SessionsService,
    private readonly browserSessions: BrowserSessionsService,
    private readonly events: EventsService,
  ) {}

  async logout(
    domainName: string,
    params: URLSearchParams,
    request: FastifyRequest,
    reply: FastifyReply,
    confirmed: boolean,
  ): Promise<FastifyReply> {
    let domain: Domain | undefined;
    try {
      const logout = await this.check(domainName, params);
      domain = logout.domain;
      const browser = await this.browserSessions.resume(domain.name, signOnCookieOf(request, domain.name));
      const submitted = confirmed && isSameOriginForm(request, params);
      if (!submitted && logout.hint === undefined && browser) return this.confirm(logout, request, reply);
      await this.end(logout, browser);
      clearSignOnCookie(reply, domain.name);
      if (logout.redirectUri) return sendRedirect(reply, withState(logout.redirectUri, logout.state));
      return sendPage(reply, 200, (nonce) =>
        messagePage({ branding: brandingOf(domain), title: 'Signed out', message: 'You are signed out.', nonce }),
      );
    } catch (error) {
      const status = error instanceof AppError ? error.status : 500;
      if (status >= 500) this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      const message = status < 500 ? (error as AppError).message : 'Sign-out is temporarily unavailable. Please try again in a moment.';
      return sendPage(reply, status, (nonce) => messagePage({ branding: brandingOf(domain), title: 'Sign-out', message, nonce }));
    }
  }

  private async check(domainName: string, params: URLSearchParams): Promise<LogoutRequest> {
    const [hintToken, clientId, redirectUri, state] = LOGOUT_PARAMETERS.map((name) => {
      const values = params.getAll(name);
      if (values.length > 1) throw new InvalidLogoutRequest(`The sign-out link has more than one ${name}.`);
      return values[0] === '' ? undefined : values[0];
    });
    const domain = await this.domains.findActive(domainName);
    if (!domain) throw new InvalidLogoutRequest('This sign-out link is for an unknown or disabled domain.');
    const hint = hintToken === undefined ? undefined : await this.tokens.verifyIdTokenHint(domain, hintToken);
    if (hintToken !== undefined && !hint)
      throw new InvalidLogoutRequest('The sign-out link carries an ID token this domain did not issue.');
    if (hint && clientId !== undefined && clientId !== hint.clientId) {
      throw new InvalidLogoutRequest('The sign-out link names two different applications.');
    }
    const appId = clientId ?? hint?.clientId;
    const client = appId === undefined ? undefined : await this.clients.findActive(domain.name, appId);
    if (appId !== undefined && !client) throw new InvalidLogoutRequest('The sign-out link names an unknown or disabled application.');
    if (redirectUri !== undefined && !client?.postLogoutRedirectUris.includes(redirectUri)) {
      throw new InvalidLogoutRequest('The sign-out link would send you to an address the application has not registered.');
    }
    const parameters = Object.fromEntries(
      LOGOUT_PARAMETERS.flatMap((name) => (params.has(name) ? [[name, params.get(name) as string]] : [])),
    );
    return { domain, hint, client, redirectUri, state, parameters };
  }

  /** Ends the browser's session, and the one the hint names when it is that user's browser session here. */
  private async end({ domain, hint, client }: LogoutRequest, browser: Session | undefined): Promise<void> {
    const named = hint?.sid === undefined || hint.sid === browser?.id ? undefined : await this.sessions.find(hint.sid);
    const hinted = named?.kind === 'browser' && named.domain === domain.name && named.username === hint?.sub ? named : undefined;
    for (const session of [browser, hinted]) {
      if (!session || session.revokedAt !== undefined) continue;
      await this.browserSessions.end(session);
      this.events.record({
        type: 'logout',
        domain: domain.name,
        username: session.username,
        sessionId: session.id,
        clientId: client?.clientId,
        actor: 'user',
      });
    }
  }

  private confirm(logout: LogoutRequest, request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const csrfToken = csrfTokenFor(request, reply);
    const { domain, parameters, redirectUri } = logout;
    return sendPage(
      reply,
      200,
      (nonce) =>
        logoutConfirmPage({
          branding: brandingOf(domain),
          action: `/domains/${domain.name}/oauth2/logout`,
          hidden: parameters,
          csrfToken,
          nonce,
        }),
      redirectUri ? [formTarget(redirectUri)] : [],
    );
  }
}

function withState(uri: string, state: string | undefined): string {
  const url = new URL(uri);
  if (state !== undefined) url.searchParams.append('state', state);
  return url.href;
}
