import { Injectable } from '@nestjs/common';
import { Domain } from '../domains/domain.js';
import { TokensService } from '../tokens/tokens.service.js';
import { Client } from '../clients/client.js';
import { TokenResponse } from './grants/grant.js';
import { formatScope } from './scopes.js';

export interface IssuedGrant {
  /** The user, or the client itself for its own token. */
  subject: string;
  scope: readonly string[];
  sessionId?: string;
  refreshToken?: string;
  /** A sign-in at the hosted page: with scope `openid`, an ID token comes along. */
  signIn?: { authTime: number; browserSessionId: string; nonce?: string };
}

/** The token response every grant ends with: an RFC 9068 access token with the client's audience and lifetime. */
@Injectable()
export class TokenIssuer {
  constructor(private readonly tokens: TokensService) {}

  async respond(domain: Domain, client: Client, grant: IssuedGrant): Promise<TokenResponse> {
    const ttlSeconds = client.accessTokenTtlSeconds ?? domain.accessTokenTtlSeconds;
    const scope = formatScope(grant.scope);
    const accessToken = await this.tokens.issueAccessToken(domain, {
      subject: grant.subject,
      clientId: client.clientId,
      scope,
      audience: client.audience ?? domain.audience,
      ttlSeconds,
      sessionId: grant.sessionId,
    });
    const idToken =
      grant.signIn && grant.scope.includes('openid')
        ? await this.tokens.issueIdToken(domain, {
            subject: grant.subject,
            clientId: client.clientId,
            ttlSeconds,
            authTime: grant.signIn.authTime,
            sessionId: grant.signIn.browserSessionId,
            nonce: grant.signIn.nonce,
            accessToken,
          })
        : undefined;
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: ttlSeconds,
      ...(grant.refreshToken !== undefined && { refresh_token: grant.refreshToken }),
      scope,
      ...(idToken !== undefined && { id_token: idToken }),
    };
  }
}
