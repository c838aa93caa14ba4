export type VerificationFailure =
  | 'invalid_token'
  | 'token_expired'
  | 'unknown_key'
  | 'wrong_token_type'
  | 'client_not_allowed'
  | 'insufficient_scope'
  | 'no_session'
  | 'session_revoked'
  | 'session_check_failed';

/** Why a token was refused; `code` is stable, `message` says it for humans. */
export class TokenVerificationError extends Error {
  constructor(
    readonly code: VerificationFailure,
    message: string,
    /** With `insufficient_scope`: every scope the resource requires, space-delimited (RFC 6750 §3's `scope`). */
    readonly scope?: string,
  ) {
    super(message);
    this.name = 'TokenVerificationError';
  }
}
