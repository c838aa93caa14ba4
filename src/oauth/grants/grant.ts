import { Domain } from '../../domains/domain.js';
import { Client, GrantType } from '../../clients/client.js';
import { OAuthParameters } from '../oauth-parameters.js';

/** What a grant handler gets: an authenticated client that may use the grant. */
export interface GrantRequest {
  domain: Domain;
  client: Client;
  params: OAuthParameters;
  /** The caller's address, as the trusted proxies report it (for throttling, and recorded on a session it starts). */
  clientAddress: string;
  /** The caller's User-Agent, cut to a bounded length (recorded on a session it starts). */
  userAgent?: string;
}

/** RFC 6749 §5.1. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token?: string;
  scope: string;
  /** OpenID Connect: when the scope has `openid` (authorization code grant). */
  id_token?: string;
}

/** One grant type of the token endpoint, as node-oidc-provider arranges them: a file each. */
export abstract class Grant {
  abstract readonly type: GrantType;
  abstract handle(request: GrantRequest): Promise<TokenResponse>;
}
