/** Express/connect and Fastify adapters of the verifier kit: `auth-service/verify/middleware`. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { compileRequirements } from './token-requirements.js';
import {
  AdapterOptions,
  TokenVerificationError,
  TokenVerifier,
  VerificationFailure,
  VerifiedClaims,
  tokenFromHeaders,
} from './verifier.js';

type WithAuth = { auth?: VerifiedClaims };

/** The refusal's body in auth-service's own error shape (401 and 403 alike). */
export function unauthorizedBody(error: unknown): { error: string; code: string } {
  if (error instanceof TokenVerificationError) return { error: error.message, code: error.code };
  return { error: 'Please provide a jwt authorization token', code: 'missing_token' };
}

/** The adapter's options, once their requirements proved well-formed: a typo fails at startup, not as a 401 per request. */
export function checkedAdapterOptions(options: AdapterOptions): AdapterOptions {
  compileRequirements(options);
  return options;
}

/** Reads the token from the request's headers and verifies it; shared by every adapter. */
export async function authenticate(
  verifier: TokenVerifier,
  headers: IncomingMessage['headers'],
  { tokenHeaders, ...options }: AdapterOptions,
): Promise<VerifiedClaims> {
  const token = tokenFromHeaders(headers, tokenHeaders);
  if (!token) throw new Error('missing token');
  return verifier.verify(token, options);
}

/** Refusals of a valid token that a new token of the same caller would not change. */
const FORBIDDEN: ReadonlySet<VerificationFailure> = new Set(['insufficient_scope', 'client_not_allowed', 'no_session']);

/**
 * 503 when the session check could not be made; 403 when the token is valid but not enough here
 * (`insufficient_scope`, `client_not_allowed`, `no_session`); else 401.
 */
export function refusalStatus(error: unknown): number {
  if (!(error instanceof TokenVerificationError)) return 401;
  if (error.code === 'session_check_failed') return 503;
  return FORBIDDEN.has(error.code) ? 403 : 401;
}

/**
 * The `WWW-Authenticate` value of a refusal (RFC 6750 §3), or undefined: `Bearer` without a
 * token, `error="invalid_token"` for a 401, `error="insufficient_scope"` with the required scope.
 * RFC 9068 §4 asks for `invalid_token` when a check of the token itself fails, `typ` included.
 */
export function bearerChallenge(error: unknown): string | undefined {
  if (!(error instanceof TokenVerificationError)) return 'Bearer';
  if (error.code === 'insufficient_scope') return `Bearer error="insufficient_scope", scope="${error.scope ?? ''}"`;
  return refusalStatus(error) === 401 ? 'Bearer error="invalid_token"' : undefined;
}

const challengeHeaders = (error: unknown): Record<string, string> => {
  const challenge = bearerChallenge(error);
  return challenge === undefined ? {} : { 'www-authenticate': challenge };
};

/**
 * Express (or any connect-style) middleware: sets `req.auth` to the verified claims, or answers
 * `{ error, code }` with the status of `refusalStatus` and the challenge of `bearerChallenge`.
 */
export function expressAuth(verifier: TokenVerifier, adapterOptions: AdapterOptions = {}) {
  const options = checkedAdapterOptions(adapterOptions);
  return (request: IncomingMessage & WithAuth, response: ServerResponse, next: (error?: unknown) => void): void => {
    authenticate(verifier, request.headers, options).then(
      (claims) => {
        request.auth = claims;
        next();
      },
      (error: unknown) => {
        response
          .writeHead(refusalStatus(error), { 'content-type': 'application/json', ...challengeHeaders(error) })
          .end(JSON.stringify(unauthorizedBody(error)));
      },
    );
  };
}

interface FastifyLikeRequest extends WithAuth {
  headers: IncomingMessage['headers'];
}
interface FastifyLikeReply {
  code(status: number): FastifyLikeReply;
  headers(values: Record<string, string>): FastifyLikeReply;
  send(body: unknown): unknown;
}

/** Fastify `preHandler` hook: sets `request.auth`, or replies `{ error, code }` as `expressAuth` does. */
export function fastifyAuth(verifier: TokenVerifier, adapterOptions: AdapterOptions = {}) {
  const options = checkedAdapterOptions(adapterOptions);
  return async (request: FastifyLikeRequest, reply: FastifyLikeReply): Promise<void> => {
    try {
      request.auth = await authenticate(verifier, request.headers, options);
    } catch (error) {
      await reply.code(refusalStatus(error)).headers(challengeHeaders(error)).send(unauthorizedBody(error));
    }
  };
}
