import type { JWTPayload } from 'jose';

/** The claims of our access tokens: the old clients' ones plus the standard set. */
export interface AccessTokenClaims extends JWTPayload {
  domain: string;
  username: string;
  session: string;
  sid: string;
  /** The session's current single-use refresh credential. */
  refresh_token: string;
  iss: string;
  sub: string;
  aud: string;
  jti: string;
  iat: number;
  exp: number;
}

export function issuerOf(publicUrl: string, domain: string): string {
  return `${publicUrl}/domains/${domain}`;
}

/** An RFC 9068 access token's claims (header `typ: at+jwt`), as the OAuth endpoints issue them. */
export interface OAuthAccessTokenClaims extends JWTPayload {
  iss: string;
  /** The user, or for client_credentials the client itself. */
  sub: string;
  aud: string;
  exp: number;
  iat: number;
  jti: string;
  client_id: string;
  scope: string;
  /** The user session it belongs to; absent on a client's own token. */
  sid?: string;
}

export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** What an OAuth grant issues an access token for. */
export interface AccessTokenGrant {
  subject: string;
  clientId: string;
  scope: string;
  audience: string;
  ttlSeconds: number;
  sessionId?: string;
}

/** What an OpenID Connect ID token states beyond who and for whom (OIDC Core §2). */
export interface IdTokenGrant {
  subject: string;
  /** The client: the token's audience and `azp`. */
  clientId: string;
  ttlSeconds: number;
  /** When the user entered their password (epoch ms). */
  authTime: number;
  /** The browser session (OIDC's `sid`: RP-initiated logout names it). */
  sessionId: string;
  nonce?: string;
  /** The access token issued beside it, for `at_hash`. */
  accessToken: string;
}
