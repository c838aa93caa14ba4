/** Express/connect and Fastify adapters of the verifier kit: `auth-service/verify/middleware`. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TokenVerificationError, TokenVerifier, VerifiedClaims, VerifyOptions, tokenFromHeader } from './verifier.js';

type WithAuth = { auth?: VerifiedClaims };

/** 401 body in auth-service's own error shape. */
export function unauthorizedBody(error: unknown): { error: string; code: string } {
  if (error instanceof TokenVerificationError) return { error: error.message, code: error.code };
  return { error: 'Please provide a jwt authorization token', code: 'missing_token' };
}

async function authenticate(
  verifier: TokenVerifier,
  header: string | string[] | undefined,
  options: VerifyOptions,
): Promise<VerifiedClaims> {
  const token = tokenFromHeader(header);
  if (!token) throw new Error('missing token');
  return verifier.verify(token, options);
}

/**
 * Express (or any connect-style) middleware: sets `req.auth` to the verified claims, or answers
 * 401 `{ error, code }` (503 when the session check cannot be made).
 */
export function expressAuth(verifier: TokenVerifier, options: VerifyOptions = {}) {
  return (request: IncomingMessage & WithAuth, response: ServerResponse, next: (error?: unknown) => void): void => {
    authenticate(verifier, request.headers.authorization, options).then(
      (claims) => {
        request.auth = claims;
        next();
      },
      (error: unknown) => {
        const status = error instanceof TokenVerificationError && error.code === 'session_check_failed' ? 503 : 401;
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(unauthorizedBody(error)));
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
export function fastifyAuth(verifier: TokenVerifier, options: VerifyOptions = {}) {
  return async (request: FastifyLikeRequest, reply: FastifyLikeReply): Promise<void> => {
    try {
      request.auth = await authenticate(verifier, request.headers.authorization, options);
    } catch (error) {
      const status = error instanceof TokenVerificationError && error.code === 'session_check_failed' ? 503 : 401;
      await reply.code(status).send(unauthorizedBody(error));
    }
  };
}
