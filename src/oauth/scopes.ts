import { SCOPE_TOKEN_PATTERN } from '../clients/client.js';
import { InvalidRequest, InvalidScope } from './oauth-errors.js';

/** The scope tokens of a `scope` parameter: space-delimited, each once. */
export function parseScope(scope: string): string[] {
  const tokens = scope.split(' ');
  if (!tokens.every((token) => SCOPE_TOKEN_PATTERN.test(token))) throw new InvalidRequest('scope is malformed');
  return [...new Set(tokens)];
}

/**
 * The scope a request gets: what it asked for, if all of it is within `allowed`; everything
 * `allowed` when it did not ask (RFC 6749 §3.3 lets the server choose a default).
 */
export function grantedScope(requested: string | undefined, allowed: readonly string[]): string[] {
  if (requested === undefined) return [...allowed];
  const asked = parseScope(requested);
  const beyond = asked.filter((token) => !allowed.includes(token));
  if (beyond.length > 0) throw new InvalidScope(`scope not allowed: ${beyond.join(' ')}`);
  return asked;
}

export const formatScope = (scopes: readonly string[]): string => scopes.join(' ');
