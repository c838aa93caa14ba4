import { TokenVerificationError } from './verification-error.js';
import type { TokenKind, VerifiedClaims } from './verified-claims.js';

/** What a consuming service requires of a token beyond a valid signature, issuer, audience and expiry. */
export interface TokenRequirements {
  /**
   * Accept only this kind: `'at+jwt'` for RFC 9068 access tokens of the OAuth token endpoint,
   * `'legacy'` for the tokens of `/login` and `/refresh`. Either, when not given.
   */
  tokenType?: TokenKind;
  /**
   * The client(s) whose access tokens are accepted (claim `client_id`). Legacy tokens, issued to no
   * client, are refused once this is set.
   */
  clientIds?: string | readonly string[];
  /**
   * Scopes the token must all carry (claim `scope`). Legacy tokens carry none, so are refused once
   * this is set.
   */
  scopes?: readonly string[];
}

/** TokenRequirements in checkable form; an absent set means "any". */
export interface CompiledRequirements {
  readonly tokenTypes?: ReadonlySet<TokenKind>;
  readonly clientIds?: ReadonlySet<string>;
  readonly scopes: readonly string[];
}

export const NO_REQUIREMENTS: CompiledRequirements = { scopes: [] };

const KIND_NAMES: Record<TokenKind, string> = { 'at+jwt': 'access tokens (typ at+jwt)', legacy: 'legacy tokens' };
const TOKEN_KINDS = Object.keys(KIND_NAMES) as TokenKind[];
/** RFC 6749 §3.3's scope-token: also what keeps a scope safe inside a quoted `WWW-Authenticate` value. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/** Whether the options name any requirement (the common call names none, and pays nothing). */
export function hasRequirements({ tokenType, clientIds, scopes }: TokenRequirements): boolean {
  return tokenType !== undefined || clientIds !== undefined || scopes !== undefined;
}

/** Checks and compiles requirements; a malformed one is a programming error (TypeError), never a silent "any". */
export function compileRequirements({ tokenType, clientIds, scopes }: TokenRequirements): CompiledRequirements {
  if (tokenType !== undefined && !TOKEN_KINDS.includes(tokenType)) {
    throw new TypeError(`tokenType must be one of ${TOKEN_KINDS.join(', ')}`);
  }
  const clients = clientIds === undefined ? undefined : typeof clientIds === 'string' ? [clientIds] : clientIds;
  if (clients && !clients.every((id) => typeof id === 'string' && id.length > 0))
    throw new TypeError('clientIds must be non-empty strings');
  if (scopes && !scopes.every((scope) => typeof scope === 'string' && SCOPE_TOKEN.test(scope))) {
    throw new TypeError('scopes must be scope tokens (RFC 6749 §3.3): no spaces, quotes or backslashes');
  }
  return {
    ...(tokenType !== undefined && { tokenTypes: new Set([tokenType]) }),
    ...(clients && { clientIds: new Set(clients) }),
    scopes: [...new Set(scopes ?? [])],
  };
}

/** Both sets of requirements at once: a call's requirements add to its verifier's, never loosen them. */
export function combineRequirements(base: CompiledRequirements, extra: CompiledRequirements): CompiledRequirements {
  const tokenTypes = intersection(base.tokenTypes, extra.tokenTypes);
  const clientIds = intersection(base.clientIds, extra.clientIds);
  return {
    ...(tokenTypes && { tokenTypes }),
    ...(clientIds && { clientIds }),
    scopes: [...new Set([...base.scopes, ...extra.scopes])],
  };
}

/** Throws the TokenVerificationError of the first requirement a verified token does not meet. */
export function assertRequirements(kind: TokenKind, claims: VerifiedClaims, required: CompiledRequirements): void {
  if (required.tokenTypes && !required.tokenTypes.has(kind)) {
    // Empty when a call asks for the other kind than its verifier: nothing passes.
    const accepted = [...required.tokenTypes].map((type) => KIND_NAMES[type]).join(' or ') || 'no tokens (conflicting requirements)';
    throw new TokenVerificationError('wrong_token_type', `This service accepts ${accepted}`);
  }
  if (required.clientIds && !(claims.client_id !== undefined && required.clientIds.has(claims.client_id))) {
    throw new TokenVerificationError('client_not_allowed', 'Token was issued to a client this service does not accept');
  }
  if (required.scopes.length > 0) {
    const granted = claims.scope === undefined ? [] : claims.scope.split(' ');
    const missing = required.scopes.filter((scope) => !granted.includes(scope));
    if (missing.length > 0) {
      throw new TokenVerificationError('insufficient_scope', `Token lacks scope: ${missing.join(' ')}`, required.scopes.join(' '));
    }
  }
}

function intersection<T>(a: ReadonlySet<T> | undefined, b: ReadonlySet<T> | undefined): ReadonlySet<T> | undefined {
  if (!a) return b;
  if (!b) return a;
  return new Set([...a].filter((item) => b.has(item)));
}
