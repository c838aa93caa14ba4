/** What a CSP nonce looks like (base64 or base64url): nothing that could end the directive. */
const NONCE = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;
/**
 * A CSP source expression for a form target: a scheme (`com.example.app:`) or an origin
 * (`https://app.example.com:8443`), without what would end it or start another directive.
 */
const SOURCE = /^[a-zA-Z][a-zA-Z0-9+.-]*:(?:\/\/[^\s;,'"/?#]+)?$/;

/**
 * The headers of every hosted page. The policy allows the page's own style element (by its nonce),
 * https images (the logo), and forms posting here; nothing may frame it, no script runs at all.
 * `formTargets` are where the form's answer may redirect: Chromium applies form-action to the
 * redirects after a POST, so the client's redirect URI origin must be listed.
 * Throws on a nonce or target that could change the policy: those come from code, not from users.
 */
export function pageSecurityHeaders(nonce: string, formTargets: string[]): Record<string, string> {
  if (!NONCE.test(nonce)) throw new Error('A CSP nonce must be at least 16 base64 characters');
  const invalid = formTargets.find((target) => !SOURCE.test(target));
  if (invalid !== undefined) throw new Error(`Not a CSP source expression: ${JSON.stringify(invalid)}`);
  const formAction = ["'self'", ...new Set(formTargets)].join(' ');
  return {
    'Content-Security-Policy': `default-src 'none'; style-src 'nonce-${nonce}'; img-src https:; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'Content-Type': 'text/html; charset=utf-8',
  };
}
