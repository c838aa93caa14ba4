import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh 256-bit secret, base64url: refresh credentials, session ids, HMAC keys. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * A fresh 128-bit id, base64url (session and client ids), never starting with `-`: a command
 * line (the CLI, any shell tool) would read it as an option. Redrawn, so every id stays equally likely.
 */
export function randomId(): string {
  let id = randomSecret(16);
  while (id.startsWith('-')) id = randomSecret(16);
  return id;
}

/** SHA-256, base64url. Enough for high-entropy secrets that only need comparing later. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url');
}

/** Compares two strings in time independent of where they differ (and of their lengths). */
export function constantTimeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
