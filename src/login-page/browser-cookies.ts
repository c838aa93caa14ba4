import { parseCookie, stringifySetCookie, type SetCookie } from 'cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The hosted login page's cookies. `__Host-` makes the browser refuse them unless Secure, with
 * Path=/ and no Domain (RFC 6265bis §4.1.3.2): no subdomain and no plain-http page can plant or
 * overwrite one. Browsers treat http://localhost as secure, so local runs work too.
 */
const HOST_ONLY: Omit<SetCookie, 'name' | 'value'> = { httpOnly: true, secure: true, path: '/' };

/** One sign-on cookie per domain: a browser may be signed in to several. Lax: it rides on the app's top-level redirect here. */
const signOnCookie = (domain: string) => `__Host-sso-${domain}`;

/** The double-submit CSRF cookie of the login and logout forms; Strict: only the page's own POST carries it. */
const CSRF_COOKIE = '__Host-csrf';

function cookies(request: FastifyRequest): Record<string, string | undefined> {
  const header = request.headers.cookie;
  return header ? parseCookie(header) : {};
}

function add(reply: FastifyReply, cookie: string): void {
  const current = reply.getHeader('set-cookie');
  const all = current === undefined ? [] : Array.isArray(current) ? current : [String(current)];
  reply.header('set-cookie', [...all, cookie]);
}

export function signOnCookieOf(request: FastifyRequest, domain: string): string | undefined {
  return cookies(request)[signOnCookie(domain)];
}

/** Until the browser session's end: closing the browser does not sign out, as users of SSO expect. */
export function setSignOnCookie(reply: FastifyReply, domain: string, value: string, expiresAt: number): void {
  add(reply, stringifySetCookie({ name: signOnCookie(domain), value, ...HOST_ONLY, sameSite: 'lax', expires: new Date(expiresAt) }));
}

export function clearSignOnCookie(reply: FastifyReply, domain: string): void {
  add(reply, stringifySetCookie({ name: signOnCookie(domain), value: '', ...HOST_ONLY, sameSite: 'lax', expires: new Date(0) }));
}

export function csrfCookieOf(request: FastifyRequest): string | undefined {
  return cookies(request)[CSRF_COOKIE];
}

/** A session cookie: it lives while the browser does. */
export function setCsrfCookie(reply: FastifyReply, value: string): void {
  add(reply, stringifySetCookie({ name: CSRF_COOKIE, value, ...HOST_ONLY, sameSite: 'strict' }));
}
