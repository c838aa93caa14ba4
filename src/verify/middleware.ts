/** Express/connect and Fastify adapters of the verifier kit: `auth-service/verify/middleware`. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AdapterOptions, TokenVerificationError, TokenVerifier, VerifiedClaims, tokenFromHeaders } from './verifier.js';

type WithAuth = { auth?: VerifiedClaims };

/** 401 body in auth-service's own error shape. */
export function unauthorizedBody(error: unknown): { error: string; code: string } {
  if (error instanceof TokenVerificationError) return { error: error.message, code: error.code };
  return { error: 'Please provide a jwt authorization token', code: 'missing_token' };
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

/** 503 when the session check could not be made, else 401. */
export function refusalStatus(error: unknown): number {
  return error instanceof TokenVerificationError && error.code === 'session_check_failed' ? 503 : 401;
}

/**
 * Express (or any connect-style) middleware: sets `req.auth` to the verified claims, or answers
 * 401 `{ error, code }` (503 when the session check cannot be made).
 */
export function expressAuth(verifier: TokenVerifier, options: AdapterOptions = {}) {
  return (request: IncomingMessage & WithAuth, response: ServerResponse, next: (error?: unknown) => void): void => {
    authenticate(verifier, request.headers, options).then(
      (claims) => {
        request.auth = claims;
        next();
      },
      (error: unknown) => {
        response.writeHead(refusalStatus(error), { 'content-type': 'application/json' }).end(JSON.stringify(unauthorizedBody(error)));
      },
    );
  };
}

interface FastifyLikeRequest extends WithAuth {
  headers: IncomingMessage['headers'];
}
interface FastifyLikeReply {
  code(status: number): { send(body: unknown): unknown };
}

/** Fastify `preHandler` hook: sets `request.auth`, or replies 401 `{ error, code }`. */
export function fastifyAuth(verifier: TokenVerifier, options: AdapterOptions = {}) {
  return async (request: FastifyLikeRequest, reply: FastifyLikeReply): Promise<void> => {
    try {
      request.auth = await authenticate(verifier, request.headers, options);
    } catch (error) {
      await reply.code(refusalStatus(error)).send(unauthorizedBody(error));
    }
  };
}
