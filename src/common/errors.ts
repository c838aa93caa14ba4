/**
 * Every error a client may see. Services throw these; AppExceptionFilter turns them into
 * `{ error, code }` (plus `message` on the contract routes) with the status below. Messages of the
 * login/refresh contract are fixed.
 */
export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
  /** Response headers the answer carries (e.g. `Retry-After`). */
  readonly headers?: Record<string, string>;
}

const define = (status: number, code: string, message: string) =>
  class extends AppError {
    readonly status = status;
    readonly code = code;
    constructor(detail?: string) {
      super(detail ?? message);
    }
  };

// Contract: POST /login
export class InvalidJsonBody extends define(400, 'invalid_json', 'Please provide a valid JSON body') {}
export class MissingCredentials extends define(400, 'missing_credentials', 'Please provide domain,username & password') {}
export class InvalidLoginDomain extends define(400, 'invalid_domain', 'Invalid domain') {}
export class InvalidCredentials extends define(400, 'invalid_credentials', 'Invalid username or password') {
  /** Which of the cases the answer never tells apart it was, for the operator's event trail only. */
  reason?: 'unknown_user' | 'wrong_password' | 'user_disabled';

  static because(reason: InvalidCredentials['reason']): InvalidCredentials {
    return Object.assign(new InvalidCredentials(), { reason });
  }
}

// Contract: GET /refresh, GET /status
export class MissingToken extends define(401, 'missing_token', 'Please provide a jwt authorization token') {}
export class InvalidToken extends define(401, 'invalid_token', 'Invalid token') {}
export class InvalidTokenDomain extends define(401, 'invalid_domain', 'Invalid domain') {}
export class InvalidSession extends define(401, 'invalid_session', 'Invalid session') {}
export class InvalidRefreshToken extends define(401, 'invalid_refresh_token', 'Invalid refresh token') {}
export class SessionExpired extends define(401, 'session_expired', 'Session expired') {}
/** The self-service routes take an unexpired token only (a refresh first makes one). */
export class TokenExpired extends define(401, 'token_expired', 'Token expired') {}

// Contract: GET /auth (the old API Gateway authorizer)
export class Unauthorized extends define(401, 'unauthorized', 'Unauthorized') {}
/** A token /auth refuses: 403 with the reason a refresh or status would have given. */
export class AccessDenied extends AppError {
  readonly status = 403;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// Ours
export class ValidationFailed extends define(400, 'validation_failed', 'Invalid request') {}
export class PayloadTooLarge extends define(413, 'payload_too_large', 'Request body too large') {}
export class AdminUnauthorized extends define(401, 'admin_unauthorized', 'A valid admin token is required') {}
export class AdminDisabled extends define(403, 'admin_disabled', 'The admin API is disabled: set ADMIN_TOKEN') {}
export class RouteNotFound extends define(404, 'not_found', 'Not found') {}
export class MethodNotAllowed extends define(405, 'method_not_allowed', 'Method not allowed') {}
export class DomainNotFound extends define(404, 'domain_not_found', 'Domain not found') {}
export class UserNotFound extends define(404, 'user_not_found', 'User not found') {}
export class SessionNotFound extends define(404, 'session_not_found', 'Session not found') {}
export class DomainExists extends define(409, 'domain_exists', 'Domain already exists') {}
export class DomainNotDisabled extends define(409, 'domain_not_disabled', 'Disable the domain before deleting it') {}
export class DomainBeingDeleted extends define(409, 'domain_being_deleted', 'The domain is being deleted: finish its deletion') {}
export class UserExists extends define(409, 'user_exists', 'User already exists') {}
export class StoreUnavailable extends define(503, 'store_unavailable', 'Storage is unavailable, try again later') {}
export class KeyStoreUnavailable extends define(503, 'key_store_unavailable', 'Key store is unavailable, try again later') {}
export class RotationInProgress extends define(409, 'rotation_in_progress', 'A key rotation of this domain is already in progress') {}
export class RotationFailed extends define(503, 'rotation_failed', 'Key rotation failed; the current key is unchanged') {}
export class RotationTooSoon extends define(
  409,
  'rotation_too_soon',
  'The previous key may still have signed tokens of live sessions; rotating again now would break them (force to override)',
) {}

// OAuth 2.0 client registry (src/oauth/clients); the OAuth routes' own errors are in src/oauth/oauth-errors.ts
export class ClientNotFound extends define(404, 'client_not_found', 'Client not found') {}
/** A client registration the rules refuse (RFC 7591's error code); the message says which rule. */
export class InvalidClientMetadata extends define(400, 'invalid_client_metadata', 'Invalid client metadata') {}
export class ClientNotConfidential extends define(409, 'client_not_confidential', 'A public client has no secret') {}

// Attack protection (src/throttling)
/** A login refused while its account or client address waits; `Retry-After` says how long. */
export class TooManyAttempts extends AppError {
  readonly status = 429;
  readonly code = 'too_many_attempts';
  override readonly headers: Record<string, string>;
  constructor(readonly retryAfterSeconds: number) {
    super('Too many attempts, try again later');
    this.headers = { 'retry-after': String(retryAfterSeconds) };
  }
}

/** A password the domain's policy refuses; `code` names the rule. */
export class PasswordRejected extends AppError {
  readonly status = 400;
  constructor(
    readonly code: 'password_too_short' | 'password_too_common' | 'password_breached',
    message: string,
  ) {
    super(message);
  }
}
