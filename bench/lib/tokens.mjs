// Checks what the service hands out: every token must verify against the domain's published JWKS.
import { createLocalJWKSet, decodeJwt, jwtVerify } from 'jose';

/** Claims of a token without verifying it (to route a response to its checks). */
export const claimsOf = (token) => decodeJwt(token);

export async function fetchJwks(publicUrl, domain) {
  const response = await fetch(`${publicUrl}/domains/${domain}/.well-known/jwks.json`);
  if (!response.ok) throw new Error(`JWKS of ${domain} -> ${response.status}`);
  return response.json();
}

/** A verifier pinned to the domain's issuer and audience, keys from the JWKS the service publishes. */
export async function tokenChecker(publicUrl, domain) {
  const jwks = await fetchJwks(publicUrl, domain);
  const keySet = createLocalJWKSet(jwks);
  const options = {
    issuer: `${publicUrl}/domains/${domain}`,
    audience: domain,
    algorithms: [...new Set(jwks.keys.map((key) => key.alg))],
    requiredClaims: ['exp', 'iat', 'sub', 'jti'],
  };

  async function verify(token) {
    const { payload } = await jwtVerify(token, keySet, options);
    const contract = ['domain', 'username', 'session', 'refresh_token'].every((claim) => typeof payload[claim] === 'string');
    if (!contract || payload.domain !== domain || payload.sid !== payload.session) {
      throw new Error(`token misses contract claims: ${JSON.stringify(payload)}`);
    }
    return payload;
  }

  return { jwks, keySet, options, verify, verifyAll: (tokens) => verifyEach(tokens, verify) };
}

/** Runs `verify` on all tokens (a few at a time); resolves to { checked, failures, firstFailure }. */
export async function verifyEach(tokens, verify) {
  let failures = 0;
  let firstFailure;
  for (let i = 0; i < tokens.length; i += 64) {
    await Promise.all(
      tokens.slice(i, i + 64).map((token) =>
        Promise.resolve(token)
          .then(verify)
          .catch((error) => {
            failures += 1;
            firstFailure ??= error.message;
          }),
      ),
    );
  }
  return { checked: tokens.length, failures, firstFailure };
}

/**
 * A verifier of RFC 9068 access tokens (header `typ: at+jwt`) against a JWKS: issuer, audience,
 * `client_id` and `scope` as expected, `sub` as `subjectOf(payload)` says when given. Resolves to the payload.
 */
export function accessTokenChecker(jwks, { issuer, audience, clientId, scope, subject }) {
  const keySet = createLocalJWKSet(jwks);
  const options = {
    issuer,
    audience,
    typ: 'at+jwt',
    algorithms: [...new Set(jwks.keys.map((key) => key.alg))],
    requiredClaims: ['exp', 'iat', 'sub', 'jti', 'client_id'],
  };
  return async function verify(token) {
    const { payload } = await jwtVerify(token, keySet, options);
    if (payload.client_id !== clientId || payload.scope !== scope || (subject !== undefined && payload.sub !== subject)) {
      throw new Error(`access token with unexpected claims: ${JSON.stringify(payload)}`);
    }
    return payload;
  };
}
