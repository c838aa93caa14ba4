import { Injectable } from '@nestjs/common';
import { EventsService } from '../../events/events.service.js';
import { parseRefreshToken } from '../../sessions/refresh-token.js';
import { SessionsService } from '../../sessions/sessions.service.js';
import { parseScope } from '../scopes.js';
import { TokenIssuer } from '../token-issuer.js';
import { InvalidGrant, InvalidScope } from '../oauth-errors.js';
import { Grant, GrantRequest, TokenResponse } from './grant.js';

/**
 * RFC 6749 §6 with RFC 9700 §4.14.2's rotation: the refresh token is consumed by one conditional
 * write that also states the client, the session's life, and the narrowed scope; what comes back
 * is the next token of the same chain (see SessionsService.refreshForClient for retries and reuse).
 */
@Injectable()
export class RefreshTokenGrant extends Grant {
  readonly type = 'refresh_token';

  constructor(
    private readonly sessions: SessionsService,
    private readonly issuer: TokenIssuer,
    private readonly events: EventsService,
  ) {
    super();
  }

  async handle({ domain, client, params }: GrantRequest): Promise<TokenResponse> {
    const token = params.required('refresh_token');
    const requested = params.optional('scope');
    const narrowed = requested === undefined ? undefined : parseScope(requested);
    const refreshed = await this.sessions.refreshForClient(token, {
      domain: domain.name,
      clientId: client.clientId,
      scopes: narrowed ?? [],
      graceSeconds: client.refreshReuseGraceSeconds,
      refreshTtlSeconds: client.refreshTokenTtlSeconds,
    });
    if (!refreshed) {
      const refusal = await this.whyRefused(token, narrowed);
      // The session a token names, when it is well-formed: a guess at an id is on the trail too.
      const sessionId = parseRefreshToken(token)?.sessionId;
      this.events.record({ type: 'refresh_refused', domain: domain.name, clientId: client.clientId, sessionId, reason: refusal.code });
      throw refusal;
    }
    const { session, refreshToken } = refreshed;
    return this.issuer.respond(domain, client, {
      subject: session.username,
      scope: narrowed ?? (session.scope ? parseScope(session.scope) : []),
      sessionId: session.id,
      refreshToken,
    });
  }

  /** A narrowed scope beyond the grant's is `invalid_scope`; every other refusal is one `invalid_grant`. */
  private async whyRefused(token: string, narrowed: string[] | undefined): Promise<InvalidGrant | InvalidScope> {
    if (narrowed && narrowed.length > 0) {
      const granted = await this.sessions.scopeOfRefreshToken(token);
      if (granted !== undefined && narrowed.some((scope) => !granted.includes(scope))) {
        return new InvalidScope('scope exceeds what the refresh token was granted');
      }
    }
    return new InvalidGrant('The refresh token is invalid, expired, revoked or already used');
  }
}
