import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { BrowserSessionsService } from '../../sessions/browser-sessions.service.js';
import { InvalidGrant } from '../oauth-errors.js';
import { parseScope } from '../scopes.js';
import { TokenIssuer } from '../token-issuer.js';
import { Grant, GrantRequest, TokenResponse } from './grant.js';

/** RFC 7636 §4.1: 43-128 unreserved characters. */
const CODE_VERIFIER_PATTERN = /^[A-Za-z0-9._~-]{43,128}$/;

/** RFC 7636 §4.2's S256 transformation: what the verifier must hash to. */
export const s256 = (verifier: string): string => createHash('sha256').update(verifier, 'ascii').digest('base64url');

/**
 * RFC 6749 §4.1.3 with RFC 7636: the code the hosted login page issued, redeemed once by the
 * client it was issued to, at the same redirect URI, with the verifier of its challenge, all in
 * one conditional write. With scope `openid`, an ID token; a refresh token when the client may
 * refresh, and for OpenID requests only with `offline_access` (OIDC Core §11).
 */
@Injectable()
export class AuthorizationCodeGrant extends Grant {
  readonly type = 'authorization_code';

  constructor(
    private readonly browserSessions: BrowserSessionsService,
    private readonly issuer: TokenIssuer,
  ) {
    super();
  }

  async handle({ domain, client, params }: GrantRequest): Promise<TokenResponse> {
    const code = params.required('code');
    const redirectUri = params.required('redirect_uri');
    const verifier = params.optional('code_verifier');
    if (verifier !== undefined && !CODE_VERIFIER_PATTERN.test(verifier)) throw new InvalidGrant('code_verifier is malformed');
    const started = await this.browserSessions.redeemCode(code, {
      domain: domain.name,
      clientId: client.clientId,
      redirectUri,
      codeChallenge: verifier === undefined ? undefined : s256(verifier),
      refreshTtlSeconds: client.refreshTokenTtlSeconds,
    });
    if (!started) {
      throw new InvalidGrant(
        'The authorization code is invalid, expired or already used, or was issued to another client or redirect URI, or the code_verifier does not match',
      );
    }
    const { session, refreshToken } = started;
    const scope = session.scope ? parseScope(session.scope) : [];
    const refreshes = client.grantTypes.includes('refresh_token') && (!scope.includes('openid') || scope.includes('offline_access'));
    return this.issuer.respond(domain, client, {
      subject: session.username,
      scope,
      sessionId: session.id,
      ...(refreshes && { refreshToken }),
      signIn: {
        authTime: session.authTime ?? session.createdAt,
        browserSessionId: session.browserSessionId ?? session.id,
        nonce: session.nonce,
      },
    });
  }
}
