import type { FastifyReply } from 'fastify';
import { randomSecret } from '../common/secrets.js';
import { Domain } from '../domains/domain.js';
import { PageBranding } from './page-branding.js';
import { pageSecurityHeaders } from './page-security-headers.js';

/** What a page shows of its domain; an unknown one shows nothing of the name it was asked for. */
export function brandingOf(domain: Domain | undefined): PageBranding {
  if (!domain) return { name: 'auth-service' };
  const { name, displayName, logoUrl, brandColor } = domain;
  return { name, displayName, logoUrl, brandColor };
}

/**
 * The origin a form's redirect may go to, as CSP's form-action names it: Chromium applies
 * form-action to the redirect that answers the POST, so the app's own origin must be listed.
 */
export function formTarget(uri: string): string {
  const url = new URL(uri);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol;
}

/** Sends an HTML page with its security headers; `render` gets the nonce its style element carries. */
export function sendPage(reply: FastifyReply, status: number, render: (nonce: string) => string, formTargets: string[] = []): FastifyReply {
  const nonce = randomSecret(16);
  return reply.code(status).headers(pageSecurityHeaders(nonce, formTargets)).send(render(nonce));
}

/** A 303 to where the browser goes next (the app's redirect URI); never cached, never a referrer. */
export function sendRedirect(reply: FastifyReply, location: string): FastifyReply {
  return reply.code(303).headers({ location, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).send();
}
