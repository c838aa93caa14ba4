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
