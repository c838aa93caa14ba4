/** The token of an Authorization header: `Bearer <token>`, or a bare token as the old clients send. */
export function bearerToken(header: string | undefined): string | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  const [scheme, ...rest] = value.split(/\s+/);
  if (scheme.toLowerCase() === 'bearer') return rest.join(' ') || undefined;
  return value;
}
