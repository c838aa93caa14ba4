import type { RequestClient } from '../common/request-client.js';

export interface Session {
  /** 128-bit random, base64url. Also the `session`/`sid` claim. */
  id: string;
  domain: string;
  username: string;
  /** SHA-256 of the current single-use refresh credential; the credential itself is never stored. */
  refreshHash: string;
  createdAt: number;
  expiresAt: number;
  revokedAt?: number;
  /** Set when a revocation had a reason of its own (`refresh_reuse`). */
  revokedFor?: string;
  lastRefreshedAt?: number;
  /** Where it started (login or password grant): the client's address and user agent, for its owner to recognise. Absent on older sessions. */
  clientAddress?: string;
  userAgent?: string;
  /** OAuth sessions: the client the grant was made to, what it granted, and the refresh token's state. */
  clientId?: string;
  /** The scope granted at the start (space-delimited); a refresh may narrow an access token's, never the session's. */
  scope?: string;
  /** When an unused refresh token dies (sliding; `expiresAt` is the absolute end). */
  refreshExpiresAt?: number;
  /** The generation of the current refresh token (how many rotations came before it). */
  generation?: number;

  // The hosted login page (src/login-page): a browser's sign-on, and the app sessions it starts.
  /** `browser`: a browser's single sign-on session; its cookie's secret is hashed in `refreshHash`. */
  kind?: 'browser';
  /** When its user last entered their password (epoch ms): OIDC's `auth_time`. */
  authTime?: number;
  /** A browser session's app sessions (one per authorization code): they end with it. */
  appSessions?: string[];
  /** An app session's browser session (its ID tokens' `sid`). */
  browserSessionId?: string;
  /**
   * An app session waiting for its authorization code: the code's hash, where it may be redeemed,
   * its PKCE challenge and OIDC nonce. Until then `expiresAt` is the code's end and `grantEndsAt`
   * the session's; redeeming it sets `codeUsedAt` and moves `grantEndsAt` into `expiresAt`.
   */
  codeHash?: string;
  redirectUri?: string;
  codeChallenge?: string;
  nonce?: string;
  grantEndsAt?: number;
  codeUsedAt?: number;
}

/** An authorization code presented at the token endpoint, hashed, with what the redemption must match. */
export interface PresentedCode {
  sessionId: string;
  domain: string;
  clientId: string;
  hash: string;
  redirectUri: string;
  /** BASE64URL(SHA-256(code_verifier)); undefined when no verifier came (only a code made without a challenge matches). */
  codeChallenge?: string;
  /** The first refresh token of the session it starts (hashed) and when it dies unused. */
  refreshHash: string;
  refreshExpiresAt: number;
}

/** A refresh token presented by the client `clientId` of `domain`, hashed, asking for `scopes` (a subset of the grant's). */
export interface PresentedRefreshToken {
  sessionId: string;
  domain: string;
  clientId: string;
  generation: number;
  hash: string;
  scopes: readonly string[];
}

/** Whose sessions: a user of a domain. */
export interface UserRef {
  domain: string;
  username: string;
}

/** Who a token says a session belongs to. */
export interface SessionOwner {
  id: string;
  domain: string;
  username: string;
}

/** What a session records of the client it started from (nothing that was not sent). */
export const startedFrom = ({ clientAddress, userAgent }: RequestClient): Pick<Session, 'clientAddress' | 'userAgent'> => ({
  clientAddress,
  ...(userAgent && { userAgent }),
});

export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export function isSessionAlive(session: Session, now: number): boolean {
  return session.revokedAt === undefined && session.expiresAt > now;
}

/** An app session whose authorization code was never redeemed: nobody ever held it, so no listing shows it. */
export const isUnredeemedCode = (session: Session): boolean => session.codeHash !== undefined && session.codeUsedAt === undefined;

/** The named fields of a session that it has: views list what they show, so new (secret) fields stay out. */
export function pick<K extends keyof Session>(session: Session, fields: readonly K[]): Pick<Session, K> {
  return Object.fromEntries(fields.filter((field) => session[field] !== undefined).map((field) => [field, session[field]])) as Pick<
    Session,
    K
  >;
}
