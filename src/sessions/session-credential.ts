import { randomSecret } from '../common/secrets.js';
import { SESSION_ID_PATTERN } from './session.js';

/**
 * A credential that names its session: `<session id>.<256 random bits>`. The hosted login page's
 * cookie and authorization codes have this form: the id makes the check one keyed read or write,
 * the random part is the secret. Only the SHA-256 of the whole string is stored.
 */
export interface SessionCredential {
  sessionId: string;
  value: string;
}

const CREDENTIAL_PATTERN = /^([A-Za-z0-9_-]{22})\.[A-Za-z0-9_-]{43}$/;

export function newSessionCredential(sessionId: string): SessionCredential {
  return { sessionId, value: `${sessionId}.${randomSecret()}` };
}

/** The session a presented credential names, or undefined if it cannot be one of ours. */
export function parseSessionCredential(value: string): SessionCredential | undefined {
  const match = CREDENTIAL_PATTERN.exec(value);
  return match && SESSION_ID_PATTERN.test(match[1]) ? { sessionId: match[1], value } : undefined;
}
