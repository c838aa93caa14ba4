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
  lastRefreshedAt?: number;
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
