/** What happened, as the trail names it. */
export const EVENT_TYPES = [
  'login_succeeded',
  'login_failed',
  'login_throttled',
  'refresh_refused',
  'refresh_reuse_detected',
  'authorization_code_reuse_detected',
  'logout',
  'session_revoked',
  'password_changed',
  'user_created',
  'user_disabled',
  'user_enabled',
  'domain_disabled',
  'domain_enabled',
  'domain_deleted',
  'key_rotated',
  'admin_auth_failed',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Who did it, when the event is about an action. */
export type EventActor = 'user' | 'admin' | 'client' | 'system';

/** What a service says happened; the writer adds the time, the id and the request's facts. */
export interface EventFacts {
  type: EventType;
  /** Absent only for what belongs to no domain (an admin token refused on a route without one). */
  domain?: string;
  username?: string;
  clientId?: string;
  sessionId?: string;
  actor?: EventActor;
  /**
   * Why, for the operator only (never in an answer to the user): `unknown_user` and
   * `wrong_password` are one `login_failed` to the outside world.
   */
  reason?: string;
  /** An outcome (`ok`, `refused`, `forced` for key_rotated). */
  result?: string;
}

/** One record of the security event trail: never a password, token, secret or hash. */
export interface SecurityEvent extends EventFacts {
  domain: string;
  id: string;
  /** ISO 8601, milliseconds. */
  at: string;
  clientAddress?: string;
  userAgent?: string;
  requestId?: string;
}

/** The domain the trail files events of no domain under (admin authentication failures). */
export const NO_DOMAIN = '-';

/** How long a domain's events are kept unless it says otherwise (days). */
export const DEFAULT_EVENT_RETENTION_DAYS = 90;
