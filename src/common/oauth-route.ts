import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';

/**
 * Marks a route of the OAuth 2.0 endpoints (token, introspection, revocation): it takes
 * `application/x-www-form-urlencoded` bodies, its answers are never cached, and its errors are
 * RFC 6749 §5.2's `{ error, error_description }`.
 */
export const OAuthRoute = (): MethodDecorator => RouteConfig({ oauth: true });

export function isOAuthRoute(request: FastifyRequest): boolean {
  return (request.routeOptions?.config as { oauth?: boolean } | undefined)?.oauth === true;
}

/** The `error` values of RFC 6749 §5.2 and RFC 7009 §2.2.1 (the OAuth errors' codes). */
export const OAUTH_ERROR_CODES = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'unsupported_token_type',
  'invalid_token',
  'insufficient_scope',
] as const;

/** What a fault is called on an OAuth route (RFC 6749 §4.1.2.1's codes). */
export const OAUTH_FAULT_CODES = ['temporarily_unavailable', 'server_error'] as const;

const KNOWN_CODES: ReadonlySet<string> = new Set(OAUTH_ERROR_CODES);

/** An error answered on an OAuth route, in RFC 6749's words: any other 4xx is a malformed request. */
export function oauthErrorBody(status: number, code: string, message: string): { error: string; error_description: string } {
  if (KNOWN_CODES.has(code)) return { error: code, error_description: message };
  if (status === 503) return { error: 'temporarily_unavailable', error_description: message };
  if (status >= 500) return { error: 'server_error', error_description: message };
  return { error: 'invalid_request', error_description: message };
}
