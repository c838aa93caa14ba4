import { Injectable } from '@nestjs/common';
import { grantedScope } from '../scopes.js';
import { TokenIssuer } from '../token-issuer.js';
import { UnauthorizedClient } from '../oauth-errors.js';
import { Grant, GrantRequest, TokenResponse } from './grant.js';

/** RFC 6749 §4.4: a confidential client's own token, `sub` = its id; no refresh token (§4.4.3). */
@Injectable()
export class ClientCredentialsGrant extends Grant {
  readonly type = 'client_credentials';

  constructor(private readonly issuer: TokenIssuer) {
    super();
  }

  handle({ domain, client, params }: GrantRequest): Promise<TokenResponse> {
    if (client.type !== 'confidential') throw new UnauthorizedClient('Only a confidential client can use client_credentials');
    const scope = grantedScope(params.optional('scope'), client.scopes);
    return this.issuer.respond(domain, client, { subject: client.clientId, scope });
  }
}
