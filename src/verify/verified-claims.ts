import type { JWTPayload } from 'jose';
import { TokenVerificationError } from './verification-error.js';

/** The two kinds of token auth-service signs with a domain's keys. */
export type TokenKind = 'legacy' | 'at+jwt';

/** What every verified token has: issuer, audience and expiry were checked against them. */
interface CommonClaims extends JWTPayload {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
}

/** A token of the old contract (`/login`, `/refresh`; header `typ: JWT`): always a user's session. */
export interface LegacyTokenClaims extends CommonClaims {
  domain: string;
  username: string;
  session: string;
  sid: string;
  client_id?: never;
  scope?: never;
}

interface OAuthClaims extends CommonClaims {
  jti: string;
  client_id: string;
  /** Space-delimited; empty when the client may ask for no scope. */
  scope: string;
  domain?: never;
  username?: never;
  session?: never;
}

/** An RFC 9068 access token (`typ: at+jwt`) of a user's session (password or refresh_token grant): `sub` is the username. */
export interface UserAccessTokenClaims extends OAuthClaims {
  sid: string;
}

/** An RFC 9068 access token of a client itself (client_credentials): `sub` is the client id, and no session stands behind it. */
export interface ClientAccessTokenClaims extends OAuthClaims {
  sid?: never;
}

export type AccessTokenClaims = UserAccessTokenClaims | ClientAccessTokenClaims;

/**
 * The claims of a verified token. Narrow on `client_id` (only access tokens carry it), then on
 * `sid` (only a user's access token carries it); `username` is a legacy claim, `sub` is in all.
 */
export type VerifiedClaims = LegacyTokenClaims | AccessTokenClaims;

/** Claims that belong to one kind only: a token carrying the other kind's would make the types above lie. */
const LEGACY_ONLY = ['domain', 'username', 'session', 'refresh_token'];
const ACCESS_ONLY = ['client_id', 'scope'];

/**
 * The kind a verified token's header `typ` declares (RFC 9068 §4: `at+jwt` or
 * `application/at+jwt`, any case); legacy tokens say `JWT` or nothing. Any other type is refused:
 * a token minted for another purpose must not pass as either.
 */
export function tokenKindOf(typ: unknown): TokenKind {
  if (typ === undefined) return 'legacy';
  const type = typeof typ === 'string' ? typ.toLowerCase().replace(/^application\//, '') : undefined;
  if (type === 'at+jwt') return 'at+jwt';
  if (type === 'jwt') return 'legacy';
  throw new TokenVerificationError('wrong_token_type', 'Token is neither an access token nor a legacy token');
}

/**
 * The claims of a token whose signature, issuer, audience and expiry held, once they have the
 * shape of their kind. A legacy token must name `domain` (the issuer pins an access token's).
 */
export function claimsOfKind(kind: TokenKind, payload: JWTPayload, domain: string): VerifiedClaims {
  if (kind === 'legacy') {
    if (payload.domain !== domain) throw new TokenVerificationError('invalid_token', 'Token belongs to another domain');
    const valid = isString(payload.sid) && isString(payload.username) && isString(payload.session) && lacksAny(payload, ACCESS_ONLY);
    if (!valid) throw invalidToken();
    return payload as LegacyTokenClaims;
  }
  const valid =
    isString(payload.jti) &&
    isString(payload.client_id) &&
    isString(payload.scope) &&
    (payload.sid === undefined || isString(payload.sid)) &&
    lacksAny(payload, LEGACY_ONLY);
  if (!valid) throw invalidToken();
  return payload as AccessTokenClaims;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const lacksAny = (payload: JWTPayload, claims: readonly string[]) => claims.every((claim) => payload[claim] === undefined);
const invalidToken = () => new TokenVerificationError('invalid_token', 'Invalid token');
