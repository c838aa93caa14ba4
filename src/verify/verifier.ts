/**
 * The verifier kit for services that consume auth-service tokens: `auth-service/verify`.
 * No NestJS, no AWS: jose and fetch only.
 */
import { errors, jwtVerify, type JWTPayload } from 'jose';
import { JwksKeyRing, VERIFICATION_ALGORITHMS } from './jwks-key-ring.js';

export interface TokenVerifierOptions {
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

/** The claims of a verified auth-service token. */
export interface VerifiedClaims extends JWTPayload {
  domain: string;
  username: string;
  session: string;
  sid: string;
  sub: string;
  exp: number;
  iat: number;
}

export type VerificationFailure = 'invalid_token' | 'token_expired' | 'unknown_key' | 'session_revoked' | 'session_check_failed';

/** Why a token was refused; `code` is stable, `message` says it for humans. */
export class TokenVerificationError extends Error {
  constructor(
    readonly code: VerificationFailure,
    message: string,
  ) {
    super(message);
    this.name = 'TokenVerificationError';
  }
}

export interface VerifyOptions {
  /** Also ask auth-service whether the session still lives (for critical operations). */
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
  /** Verifies signature, algorithm, issuer, audience and expiry; optionally the session. Throws TokenVerificationError. */
  verify(token: string, options?: VerifyOptions): Promise<VerifiedClaims>;
}

/** Creates a verifier for one domain: JWKS cached, refetched on an unknown kid at most once per cooldown. */
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
    issuer: `${(options.issuerBaseUrl ?? authUrl).replace(/\/+$/, '')}/domains/${options.domain}`,
    audience: options.audience ?? options.domain,
    requiredClaims: ['exp', 'iat', 'sub', 'sid'],
    clockTolerance: options.clockToleranceSeconds ?? 5,
  };

  /** One async step on the hot path: every verification pays for each extra promise. */
  async function verifySignature(token: string): Promise<VerifiedClaims> {
    const seenAt = Date.now();
    let payload: VerifiedClaims;
    try {
      payload = (await jwtVerify<VerifiedClaims>(token, keys.keyFor, checks)).payload;
    } catch (error) {
      payload = await retryWithKeysSince(token, seenAt, error);
    }
    if (payload.domain !== options.domain) throw new TokenVerificationError('invalid_token', 'Token belongs to another domain');
    return payload;
  }

  /** A kid minted after our last fetch (a rotation) needs a fetch that started after we saw it. */
  async function retryWithKeysSince(token: string, seenAt: number, failure: unknown): Promise<VerifiedClaims> {
    try {
      if (!(failure instanceof errors.JWKSNoMatchingKey)) throw failure;
      await keys.reloadSince(seenAt);
      return (await jwtVerify<VerifiedClaims>(token, keys.keyFor, checks)).payload;
    } catch (error) {
      throw verificationError(error);
    }
  }

  async function assertSessionAlive(sid: string): Promise<void> {
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

  async function verifyWithSession(token: string): Promise<VerifiedClaims> {
    const claims = await verifySignature(token);
    await assertSessionAlive(claims.sid);
    return claims;
  }

  return {
    verify: (token, verifyOptions = {}) => (verifyOptions.checkSession ? verifyWithSession(token) : verifySignature(token)),
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
