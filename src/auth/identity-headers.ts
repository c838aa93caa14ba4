import type { Identity } from './auth.service.js';

/** The response headers of `GET /auth` a reverse proxy passes on to the app behind it. */
export const IDENTITY_HEADERS = {
  domain: 'x-auth-domain',
  username: 'x-auth-username',
  session: 'x-auth-session',
} as const satisfies Record<keyof Identity, string>;

/**
 * A header-safe value: printable ASCII stays as it is, anything else (and `%` itself) becomes
 * percent-encoded UTF-8, so `josé` arrives as `jos%C3%A9` and `decodeURIComponent` restores it.
 */
export function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x24\x26-\x7e]+/gu, (run) => encodeURIComponent(run));
}

export function identityHeaders(identity: Identity): Record<string, string> {
  return Object.fromEntries(
    Object.entries(IDENTITY_HEADERS).map(([field, header]) => [header, headerSafe(identity[field as keyof Identity])]),
  );
}
