import { Session, isSessionAlive } from '../sessions/session.js';

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
  valid: boolean;
  current: boolean;
}

const SHOWN = ['lastRefreshedAt', 'revokedAt', 'clientAddress', 'userAgent', 'clientId'] as const;

/**
 * When and where a session started, whether it still lives (as the admin listing says it) and
 * whether it is the caller's own. Named fields only: whatever a session comes to hold later
 * (secrets included) stays out unless it is added here.
 */
export function ownSessionView(session: Session, currentId: string, now: number): OwnSession {
  const present = SHOWN.filter((field) => session[field] !== undefined).map((field) => [field, session[field]]);
  return {
    id: session.id,
    createdAt: session.createdAt,
    expiresAt: session.expiresAt,
    ...(Object.fromEntries(present) as Partial<OwnSession>),
    valid: isSessionAlive(session, now),
    current: session.id === currentId,
  };
}
