import { randomSecret } from '../common/secrets.js';
import { SESSION_ID_PATTERN } from './session.js';

/**
 * An OAuth refresh token: `<session id>.<generation>.<256 random bits>`, opaque to its client. The
 * session id makes a refresh one keyed write; the generation says which of the session's
 * consumed-token slots to compare when a token comes again; the random part is the secret. Only
 * the SHA-256 of the whole string is stored.
 */
export interface RefreshToken {
  sessionId: string;
  generation: number;
  token: string;
}

const REFRESH_TOKEN_PATTERN = /^([A-Za-z0-9_-]{22})\.(0|[1-9][0-9]{0,8})\.[A-Za-z0-9_-]{43}$/;

export function newRefreshToken(sessionId: string, generation: number): RefreshToken {
  return { sessionId, generation, token: `${sessionId}.${generation}.${randomSecret()}` };
}

/** The parts of a presented refresh token, or undefined if it cannot be one of ours. */
export function parseRefreshToken(token: string): RefreshToken | undefined {
  const match = REFRESH_TOKEN_PATTERN.exec(token);
  if (!match || !SESSION_ID_PATTERN.test(match[1])) return undefined;
  return { sessionId: match[1], generation: Number(match[2]), token };
}

/**
 * How many consumed refresh tokens of a session are remembered (by hash, one slot per generation
 * modulo this): any of them coming again proves the session's chain was copied, and revokes it.
 */
export const CONSUMED_REFRESH_SLOTS = 16;

export const consumedSlot = (generation: number): string => `consumedRefresh${generation % CONSUMED_REFRESH_SLOTS}`;
