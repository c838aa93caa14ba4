import { Injectable } from '@nestjs/common';
import { AuthService } from '../../auth/auth.service.js';
import { AppError, InvalidCredentials, TooManyAttempts } from '../../common/errors.js';
import { EventsService } from '../../events/events.service.js';
import { SessionsService } from '../../sessions/sessions.service.js';
import { formatScope, grantedScope } from '../scopes.js';
import { TokenIssuer } from '../token-issuer.js';
import { InvalidGrant, ThrottledGrant } from '../oauth-errors.js';
import { Grant, GrantRequest, TokenResponse } from './grant.js';

/**
 * RFC 6749 §4.3, for first-party apps that list it: the user's password through the one
 * credential check `/login` uses (throttling, equal timing for unknown users), then a session
 * owned by the client. A refresh token only for a client that may use it.
 */
@Injectable()
export class PasswordGrant extends Grant {
  readonly type = 'password';

  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly issuer: TokenIssuer,
    private readonly events: EventsService,
  ) {
    super();
  }

  async handle({ domain, client, params, clientAddress, userAgent }: GrantRequest): Promise<TokenResponse> {
    const username = params.required('username');
    const password = params.required('password');
    const scope = grantedScope(params.optional('scope'), client.scopes);
    try {
      await this.auth.authenticate(domain.name, username, password, clientAddress);
    } catch (error) {
      throw asGrantError(error);
    }
    const { session, refreshToken } = await this.sessions.startForClient(
      domain,
      username,
      { clientId: client.clientId, scope: formatScope(scope), refreshTtlSeconds: client.refreshTokenTtlSeconds },
      { clientAddress, userAgent },
    );
    this.events.record({ type: 'login_succeeded', domain: domain.name, username, clientId: client.clientId, sessionId: session.id });
    const refreshes = client.grantTypes.includes('refresh_token');
    return this.issuer.respond(domain, client, {
      subject: username,
      scope,
      sessionId: session.id,
      ...(refreshes && { refreshToken }),
    });
  }
}

/** The credential check's refusals in RFC 6749's words; store faults stay what they are. */
function asGrantError(error: unknown): unknown {
  if (error instanceof TooManyAttempts) return new ThrottledGrant(error.retryAfterSeconds);
  if (error instanceof InvalidCredentials) return new InvalidGrant('Invalid username or password');
  if (error instanceof AppError && error.status < 500) return new InvalidGrant(error.message);
  return error;
}
