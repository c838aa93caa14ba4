import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { requestClient } from '../common/request-client.js';
import { MetricsService } from '../metrics/metrics.service.js';
import { ClientAuthenticator } from './client-authenticator.js';
import { GrantRegistry } from './grants/grant-registry.js';
import { TokenResponse } from './grants/grant.js';
import { OAuthParameters } from './oauth-parameters.js';
import { UnauthorizedClient, UnsupportedGrantType } from './oauth-errors.js';

/** The token endpoint (RFC 6749 §3.2): grant type, client authentication, then the grant's own checks. */
@Injectable()
export class TokenEndpointService {
  constructor(
    private readonly authenticator: ClientAuthenticator,
    private readonly grants: GrantRegistry,
    private readonly metrics: MetricsService,
  ) {}

  async exchange(domainName: string, params: OAuthParameters, request: FastifyRequest): Promise<TokenResponse> {
    let label = 'other';
    try {
      const grantType = params.required('grant_type');
      const grant = this.grants.find(grantType);
      if (!grant) throw new UnsupportedGrantType(`grant_type ${grantType} is not supported`);
      label = grant.type;
      const { domain, client } = await this.authenticator.authenticate(domainName, request, params, { publicClients: true });
      if (!client.grantTypes.includes(grant.type)) throw new UnauthorizedClient(`This client may not use the ${grant.type} grant`);
      const response = await grant.handle({ domain, client, params, ...requestClient(request) });
      this.metrics.oauthToken(label, 'ok');
      return response;
    } catch (error) {
      this.metrics.oauthToken(label, 'failed');
      throw error;
    }
  }
}
