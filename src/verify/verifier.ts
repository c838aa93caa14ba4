/**
 * The verifier kit for services that consume auth-service tokens: `auth-service/verify`.
 * No NestJS, no AWS: jose and fetch only.
 */
import { errors, jwtVerify, type JWTVerifyResult } from 'jose';
import { JwksKeyRing, VERIFICATION_ALGORITHMS } from './jwks-key-ring.js';
import {
  assertRequirements,
  combineRequirements,
  compileRequirements,
  hasRequirements,
  type CompiledRequirements,
  type TokenRequirements,
} from './token-requirements.js';
import { TokenVerificationError } from './verification-error.js';
import { claimsOfKind, tokenKindOf, type VerifiedClaims } from './verified-claims.js';

export { TokenVerificationError, type VerificationFailure } from './verification-error.js';
export type { TokenRequirements } from './token-requirements.js';
export type {
  AccessTokenClaims,
  ClientAccessTokenClaims,
  LegacyTokenClaims,
  TokenKind,
  UserAccessTokenClaims,
  VerifiedClaims,
} from './verified-claims.js';

/**
 * A verifier's settings. The requirements (`tokenType`, `clientIds`, `scopes`) given here hold for
 * every token it verifies; a call may add more.
 */
export interface TokenVerifierOptions extends TokenRequirements {
  /** auth-service's public base URL, where the JWKS is fetched, e.g. `http://auth-service:3000`. */
  authUrl: string;
  /** The domain whose tokens this service accepts. */
  domain: string;
  /** auth-service's PUBLIC_URL, the base of the issuer (`<issuerBaseUrl>/domains/<domain>`); defaults to authUrl. */
  issuerBaseUrl?: string;
  /** Expected `aud`; defaults to the domain name (the domain's default audience). */
  audience?: string;
  /** auth-service's internal base URL (e.g. `http://auth-service:3001`); needed for session checks. */
  internalUrl?: string;
  /**
   * How long fetched keys are used before a refetch is awaited (default 10 minutes). While the
   * refetch fails (auth-service unreachable), the last keys keep serving and it is retried at most
   * once per `jwksRefetchIntervalMs`.
   */
  jwksCacheMaxAgeMs?: number;
  /** Least time between two JWKS fetches caused by unknown kids (default 1 s): a flood of forged kids cannot hammer auth-service. */
  jwksRefetchIntervalMs?: number;
  /** Clock skew tolerated on exp/iat (default 5 s). */
  clockToleranceSeconds?: number;
}

/**
 * One verification's options. Its requirements add to the verifier's own (the scopes of both are
 * required, a client must be allowed by both): a route can ask for more, never for less. A
 * malformed requirement rejects with TypeError (the adapters check theirs when made).
 */
export interface VerifyOptions extends TokenRequirements {
  /**
   * Also ask auth-service whether the session still lives (for critical operations). A client's
   * own access token (client_credentials) has no session, so it is refused with `no_session`
   * rather than let through unchecked.
   */
  checkSession?: boolean;
}

/** Options of the middleware and guard adapters. */
export interface AdapterOptions extends VerifyOptions {
  /**
   * The headers the token is read from, in order, any case (default `Authorization`, then the old
   * clients' `Authorizationjwt`); `Bearer ` is optional. Name auth-service's `AUTH_HEADER` here too.
   */
  tokenHeaders?: readonly string[];
}

export interface TokenVerifier {
  /**
   * Verifies signature, algorithm, issuer, audience and expiry, the claims of the token's kind
   * (legacy or `at+jwt`), the verifier's and the call's requirements, and optionally the session.
   * Throws TokenVerificationError.
   */
  verify(token: string, options?: VerifyOptions): Promise<VerifiedClaims>;
}

/**
 * Creates a verifier for one domain: JWKS cached, refetched on an unknown kid at most once per
 * cooldown. It accepts legacy tokens and RFC 9068 access tokens alike unless told `tokenType`.
 * Throws TypeError for malformed requirements.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const authUrl = options.authUrl.replace(/\/+$/, '');
  const domain = encodeURIComponent(options.domain);
  const refetchIntervalMs = options.jwksRefetchIntervalMs ?? 1000;
  const keys = new JwksKeyRing(
    new URL(`${authUrl}/domains/${domain}/.well-known/jwks.json`),
    options.jwksCacheMaxAgeMs ?? 600_000,
    refetchIntervalMs,
  );
  const checks = {
    algorithms: VERIFICATION_ALGORITHMS,
    // The issuer pins the domain for both kinds; a legacy token also names it in `domain`.
    issuer: `${(options.issuerBaseUrl ?? authUrl).replace(/\/+$/, '')}/domains/${options.domain}`,
    audience: options.audience ?? options.domain,
    requiredClaims: ['exp', 'iat', 'sub'],
    clockTolerance: options.clockToleranceSeconds ?? 5,
  };
  const required = compileRequirements(options);

  /** One async step on the hot path: every verification pays for each extra promise. */
  async function verifyToken(token: string, verifyOptions: VerifyOptions): Promise<VerifiedClaims> {
    const seenAt = Date.now();
    let verified: JWTVerifyResult;
    try {
      verified = await jwtVerify(token, keys.keyFor, checks);
    } catch (error) {
      verified = await retryWithKeysSince(token, seenAt, error);
    }
    const kind = tokenKindOf(verified.protectedHeader.typ);
    const claims = claimsOfKind(kind, verified.payload, options.domain);
    assertRequirements(kind, claims, requirementsOf(verifyOptions));
    return claims;
  }

  /** A kid minted after our last fetch (a rotation) needs a fetch that started after we saw it. */
  async function retryWithKeysSince(token: string, seenAt: number, failure: unknown): Promise<JWTVerifyResult> {
    try {
      if (!(failure instanceof errors.JWKSNoMatchingKey)) throw failure;
      await keys.reloadSince(seenAt);
      return await jwtVerify(token, keys.keyFor, checks);
    } catch (error) {
      throw verificationError(error);
    }
  }

  function requirementsOf(verifyOptions: VerifyOptions): CompiledRequirements {
    return hasRequirements(verifyOptions) ? combineRequirements(required, compileRequirements(verifyOptions)) : required;
  }

  async function assertSessionAlive(sid: string | undefined): Promise<void> {
    if (sid === undefined) throw new TokenVerificationError('no_session', "A client's own token has no session to check");
    if (!options.internalUrl) throw new TokenVerificationError('session_check_failed', 'internalUrl is not configured');
    let valid: unknown;
    try {
      const response = await fetch(`${options.internalUrl.replace(/\/+$/, '')}/sessions/${encodeURIComponent(sid)}/valid`);
      valid = response.ok ? ((await response.json()) as { valid?: unknown }).valid : undefined;
    } catch {
      valid = undefined;
    }
    if (valid === undefined) throw new TokenVerificationError('session_check_failed', 'Could not check the session');
    if (valid !== true) throw new TokenVerificationError('session_revoked', 'Session is no longer valid');
  }

  async function verifyWithSession(token: string, verifyOptions: VerifyOptions): Promise<VerifiedClaims> {
    const claims = await verifyToken(token, verifyOptions);
    await assertSessionAlive(claims.sid);
    return claims;
  }

  return {
    verify: (token, verifyOptions = {}) => (verifyOptions.checkSession ? verifyWithSession : verifyToken)(token, verifyOptions),
  };
}

function verificationError(error: unknown): TokenVerificationError {
  if (error instanceof errors.JWTExpired) return new TokenVerificationError('token_expired', 'Token expired');
  if (error instanceof errors.JWKSNoMatchingKey) {
    return new TokenVerificationError('unknown_key', 'Token signed with a key the domain does not publish (retired or forged)');
  }
  return new TokenVerificationError('invalid_token', 'Invalid token');
}

/**
 * The token a request presents: `Authorization`, then `Authorizationjwt` (or the headers named),
 * `Bearer <token>` or a bare token. The same reading auth-service itself applies.
 */
export { tokenFromHeaders, TOKEN_HEADERS } from '../common/bearer-token.js';
