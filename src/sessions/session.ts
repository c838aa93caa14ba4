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

export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export function isSessionAlive(session: Session, now: number): boolean {
  return session.revokedAt === undefined && session.expiresAt > now;
}
