/**
 * The headers a token is read from unless told otherwise: the standard one, and the old service's
 * deployed `AUTH_HEADER` (its clients still send it). Lower case, as Node presents header names.
 */
export const TOKEN_HEADERS: readonly string[] = ['authorization', 'authorizationjwt'];

type Headers = Record<string, string | string[] | undefined>;

/**
 * The token a request presents: from the first of `names` (any case) whose value is `Bearer
 * <token>` or a bare token. A value with another scheme (`Basic ...`) is not a token, so a proxy's
 * own credential in `Authorization` does not hide the token in `Authorizationjwt`.
 */
export function tokenFromHeaders(headers: Headers, names: readonly string[] = TOKEN_HEADERS): string | undefined {
  for (const name of names) {
    const value = headers[name.toLowerCase()];
    const token = bearerToken(Array.isArray(value) ? value[0] : value);
    if (token) return token;
  }
  return undefined;
}

/** The token of one header value: `Bearer <token>` (any case), or a bare token as the old clients send. */
export function bearerToken(header: string | undefined): string | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  const [first, ...rest] = value.split(/\s+/);
  if (rest.length === 0) return first.toLowerCase() === 'bearer' ? undefined : first;
  return first.toLowerCase() === 'bearer' && rest.length === 1 ? rest[0] : undefined;
}

/** Header names for a token: the defaults plus the configured ones, lower case, each once. */
export function tokenHeaderNames(extra: readonly string[] = []): string[] {
  return [...new Set([...TOKEN_HEADERS, ...extra.map((name) => name.trim().toLowerCase()).filter(Boolean)])];
}
