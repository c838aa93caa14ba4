import { AppError } from '../common/errors.js';

/**
 * The errors of RFC 6749 §5.2 (and RFC 7009 §2.2.1): `code` is the `error` value, the message its
 * `error_description`. The exception filter answers them `{ error, error_description }` on the
 * OAuth routes.
 */
export abstract class OAuthError extends AppError {}

const define = (status: number, code: string) =>
  class extends OAuthError {
    readonly status = status;
    readonly code = code;
    constructor(description: string) {
      super(description);
    }
  };

export class InvalidRequest extends define(400, 'invalid_request') {}
export class InvalidGrant extends define(400, 'invalid_grant') {}
export class UnauthorizedClient extends define(400, 'unauthorized_client') {}
export class UnsupportedGrantType extends define(400, 'unsupported_grant_type') {}
export class InvalidScope extends define(400, 'invalid_scope') {}
export class UnsupportedTokenType extends define(400, 'unsupported_token_type') {}

/** Client authentication failed: 401 with a challenge, whichever method the client tried (§5.2). */
export class InvalidClient extends OAuthError {
  readonly status = 401;
  readonly code = 'invalid_client';
  override readonly headers: Record<string, string>;
  constructor(description: string, realm: string) {
    super(description);
    this.headers = { 'www-authenticate': `Basic realm="${realm}", charset="UTF-8"` };
  }
}

/** A password grant refused by the login throttle: the grant's error, with the wait in `Retry-After`. */
export class ThrottledGrant extends InvalidGrant {
  override readonly headers: Record<string, string>;
  constructor(retryAfterSeconds: number) {
    super('Too many attempts, try again later');
    this.headers = { 'retry-after': String(retryAfterSeconds) };
  }
}

/**
 * RFC 6750 §3: a protected resource's (userinfo's) refusal of a bearer token, told in the
 * `WWW-Authenticate` challenge and the body alike. No token at all gets the bare challenge (§3.1).
 */
export class BearerTokenRefused extends OAuthError {
  override readonly headers: Record<string, string>;
  constructor(
    readonly status: 401 | 403,
    readonly code: 'invalid_token' | 'insufficient_scope' | 'invalid_request',
    description: string,
    realm: string,
    sent = true,
  ) {
    super(description);
    const error = sent ? `, error="${code}", error_description="${description}"` : '';
    this.headers = { 'www-authenticate': `Bearer realm="${realm}"${error}` };
  }
}
