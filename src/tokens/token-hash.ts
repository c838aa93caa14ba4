import { createHash } from 'node:crypto';

/**
 * OIDC Core §3.1.3.6's `at_hash`: the left half of the access token's hash, base64url, with the
 * hash of the signing algorithm (SHA-512 for Ed25519, as OpenID's EdDSA errata settles it).
 */
export function tokenHash(token: string, alg: string): string {
  const digest = createHash(alg === 'EdDSA' ? 'sha512' : 'sha256')
    .update(token, 'ascii')
    .digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
