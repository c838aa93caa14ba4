import type { FastifyReply, FastifyRequest } from 'fastify';
import { constantTimeEqual, randomSecret } from '../common/secrets.js';
import { csrfCookieOf, setCsrfCookie } from './browser-cookies.js';

/** The form field that carries the CSRF token. */
export const CSRF_FIELD = 'csrf_token';

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The token a form carries: the browser's CSRF cookie (a new one when it has none). Double submit:
 * another site can make the browser send the cookie, never read it to put it in the form; and no
 * state is kept on the server, so any instance checks any form.
 */
export function csrfTokenFor(request: FastifyRequest, reply: FastifyReply): string {
  const current = csrfCookieOf(request);
  if (current !== undefined && TOKEN_PATTERN.test(current)) return current;
  const token = randomSecret();
  setCsrfCookie(reply, token);
  return token;
}

/**
 * Whether a form POST came from our own page: its token equals the cookie, and a browser that
 * says where the request came from (Fetch Metadata) says from this origin.
 */
export function isSameOriginForm(request: FastifyRequest, form: URLSearchParams): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return false;
  const cookie = csrfCookieOf(request);
  const fields = form.getAll(CSRF_FIELD);
  return cookie !== undefined && TOKEN_PATTERN.test(cookie) && fields.length === 1 && constantTimeEqual(fields[0], cookie);
}
