/**
 * Why a redirect URI may not be registered, or undefined when it may. The authorization endpoint
 * compares a request's redirect_uri with these by exact string (redirectUriMatches), so what is
 * stored here is what an attacker would have to match:
 * - `https:` URLs for web apps;
 * - `http:` only on a loopback address, for native apps (RFC 8252 §7.3, §8.3);
 * - private-use schemes in reverse-domain form, `com.example.app:/callback` (RFC 8252 §7.1);
 * - never a fragment (RFC 6749 §3.1.2), credentials, or a scheme a browser would run
 *   (`javascript:`, `data:`, `file:` ...: none of them has a dot).
 */
export function redirectUriProblem(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'is not an absolute URI';
  }
  if (uri.includes('#')) return 'must not have a fragment';
  if (url.username || url.password) return 'must not carry credentials';
  const scheme = url.protocol.slice(0, -1);
  if (scheme === 'https') return url.hostname ? undefined : 'needs a host';
  if (scheme === 'http')
    return isLoopback(url.hostname) ? undefined : 'may use http only on a loopback address (127.0.0.1, [::1], localhost)';
  if (!/^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+$/.test(scheme)) {
    return 'must be https, loopback http, or a private-use scheme in reverse-domain form (com.example.app:/callback)';
  }
  return undefined;
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/** A loopback IP literal's authority with a port: `http://127.0.0.1:51004/cb` → `http://127.0.0.1/cb`. */
const LOOPBACK_IP_WITH_PORT = /^http:\/\/(127(?:\.\d{1,3}){3}|\[::1\]):\d{1,5}(?=[/?]|$)/;

/**
 * Whether a requested redirect URI is one of the registered ones: the exact string, character for
 * character; the one allowance is RFC 8252 §7.3's, a native app's loopback IP redirect URI with
 * whatever port its listener got (registered without one). `localhost` gets no allowance (§8.3).
 */
export function redirectUriMatches(registered: readonly string[], requested: string): boolean {
  if (registered.includes(requested)) return true;
  const withoutPort = requested.replace(LOOPBACK_IP_WITH_PORT, 'http://$1');
  return withoutPort !== requested && registered.includes(withoutPort);
}
