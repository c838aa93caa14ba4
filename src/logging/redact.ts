/** What a redacted value is replaced with. */
export const REDACTED = '[Redacted]';

/**
 * Keys whose values never reach a log line, at any depth, compared case-insensitively: credentials
 * (passwords, bearer and refresh tokens, OAuth client secrets, the admin token, cookies) and key material (a private
 * JWK, its `d`, an HS256 `k`, a Secrets Manager SecretString).
 */
const SECRET_KEYS = new Set(
  [
    'authorization',
    'cookie',
    'set-cookie',
    'password',
    'passwordHash',
    'token',
    'refresh_token',
    'refreshToken',
    'access_token',
    'client_secret',
    'clientSecret',
    'secretHash',
    'previousSecretHash',
    'adminToken',
    'secret',
    'SecretString',
    'privateJwk',
    'd',
    'k',
  ].map((key) => key.toLowerCase()),
);

/** Deeper than any object this service logs; bounds the work for a pathological one. */
const MAX_DEPTH = 8;

function isScrubbable(value: object): boolean {
  if (Array.isArray(value)) return true;
  if (value instanceof Date || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return false;
  // Objects that serialize themselves (toJSON) or streams/sockets are left to pino's serializers.
  return typeof (value as { toJSON?: unknown }).toJSON !== 'function' && typeof (value as { pipe?: unknown }).pipe !== 'function';
}

/**
 * Returns `value` with every secret key's value replaced by REDACTED, wherever it is nested. Copies
 * only the objects on the way to a secret: the caller's objects are never changed, and an object
 * without secrets is returned as is (the common case costs one walk, no allocation).
 */
export function redactSecrets<T>(value: T, depth = 0): T {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH || !isScrubbable(value)) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    value.forEach((item: unknown, index) => {
      const redacted = redactSecrets(item, depth + 1);
      if (redacted !== item) (copy ??= [...value])[index] = redacted;
    });
    return (copy ?? value) as T;
  }
  const record = value as Record<string, unknown>;
  let copy: Record<string, unknown> | undefined;
  for (const [key, item] of Object.entries(record)) {
    const redacted = SECRET_KEYS.has(key.toLowerCase()) ? REDACTED : redactSecrets(item, depth + 1);
    if (redacted !== item) (copy ??= { ...record })[key] = redacted;
  }
  // An Error keeps its message and stack (not own enumerable properties) only if left as is.
  if (copy && value instanceof Error) Object.assign(copy, { name: value.name, message: value.message, stack: value.stack });
  return (copy ?? value) as T;
}
