import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../config/app-config.js';
import { DomainsService } from '../domains/domains.service.js';
import { Domain } from '../domains/domain.js';
import { issuerOf } from '../tokens/access-token.js';
import { Client } from '../clients/client.js';
import { ClientsService } from '../clients/clients.service.js';
import { OAuthParameters } from './oauth-parameters.js';
import { InvalidClient, InvalidRequest } from './oauth-errors.js';

/** What every OAuth endpoint starts with: the domain, and the client that proved who it is. */
export interface AuthenticatedRequest {
  domain: Domain;
  client: Client;
}

interface PresentedCredentials {
  clientId: string;
  secret?: string;
}

/**
 * Client authentication at the OAuth endpoints (RFC 6749 §2.3): `client_secret_basic`,
 * `client_secret_post`, or `none` (a public client names itself with `client_id`). One method per
 * request; every failure is the same `invalid_client`.
 */
@Injectable()
export class ClientAuthenticator {
  constructor(
    private readonly domains: DomainsService,
    private readonly clients: ClientsService,
    private readonly config: AppConfig,
  ) {}

  /** The active domain and the client authenticated at it; `publicClients: false` admits confidential clients only. */
  async authenticate(
    domainName: string,
    request: FastifyRequest,
    params: OAuthParameters,
    options: { publicClients: boolean },
  ): Promise<AuthenticatedRequest> {
    const domain = await this.domains.getActive(domainName);
    return { domain, client: await this.client(domain, request, params, options) };
  }

  private async client(
    domain: Domain,
    request: FastifyRequest,
    params: OAuthParameters,
    options: { publicClients: boolean },
  ): Promise<Client> {
    const fail = () => new InvalidClient('Client authentication failed', issuerOf(this.config.publicUrl, domain.name));
    const credentials = this.presented(request, params, fail);
    const client = await this.clients.verifyCredentials(domain.name, credentials.clientId, credentials.secret);
    if (!client || (client.type === 'public' && !options.publicClients)) throw fail();
    return client;
  }

  private presented(request: FastifyRequest, params: OAuthParameters, fail: () => InvalidClient): PresentedCredentials {
    const basic = basicCredentials(request.headers.authorization, fail);
    const clientId = params.optional('client_id');
    const secret = params.optional('client_secret');
    if (basic) {
      if (secret !== undefined) throw new InvalidRequest('Use one client authentication method, not two');
      if (clientId !== undefined && clientId !== basic.clientId)
        throw new InvalidRequest('client_id differs from the authenticated client');
      return basic;
    }
    if (clientId === undefined) throw fail();
    return { clientId, secret };
  }
}

/**
 * `Authorization: Basic base64(urlencode(id) ":" urlencode(secret))` (RFC 6749 §2.3.1), or
 * undefined without such a header. Another scheme counts as no client authentication.
 */
function basicCredentials(header: string | undefined, fail: () => InvalidClient): PresentedCredentials | undefined {
  const match = /^basic[ ]+([A-Za-z0-9+/]+={0,2})[ ]*$/i.exec(header ?? '');
  if (!match) {
    if (header !== undefined && /^basic\b/i.test(header)) throw fail();
    return undefined;
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw fail();
  try {
    const form = (value: string) => decodeURIComponent(value.replace(/\+/g, ' '));
    return { clientId: form(decoded.slice(0, colon)), secret: form(decoded.slice(colon + 1)) };
  } catch {
    throw fail();
  }
}
