import { Session, isSessionAlive, pick } from '../sessions/session.js';

/** What a user sees of one of their sessions. */
export interface OwnSession {
  id: string;
  createdAt: number;
  expiresAt: number;
  lastRefreshedAt?: number;
  revokedAt?: number;
  clientAddress?: string;
  userAgent?: string;
  clientId?: string;
  /** `browser`: the browser's sign-on at the hosted login page. */
  kind?: 'browser';
  valid: boolean;
  current: boolean;
}

const SHOWN = ['lastRefreshedAt', 'revokedAt', 'clientAddress', 'userAgent', 'clientId', 'kind'] as const;

/**
 * When and where a session started, whether it still lives (as the admin listing says it) and
 * whether it is the caller's own. Named fields only: whatever a session comes to hold later
 * (secrets included) stays out unless it is added here.
 */
export function ownSessionView(session: Session, currentId: string, now: number): OwnSession {
  return {
    id: session.id,
    createdAt: session.createdAt,
    expiresAt: session.expiresAt,
    ...pick(session, SHOWN),
    valid: isSessionAlive(session, now),
    current: session.id === currentId,
  };
}
