import type { JWK } from 'jose';

export const SIGNING_ALGORITHMS = ['ES256', 'EdDSA', 'RS256', 'HS256'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];
export const DEFAULT_ALGORITHM: SigningAlgorithm = 'ES256';

/** One version of a domain's key as stored (in Secrets Manager or the file store). Secret material included. */
export interface SigningKey {
  kid: string;
  alg: SigningAlgorithm;
  createdAt: string;
  /** Private JWK; for HS256 the shared secret (`kty: oct`). */
  privateJwk: JWK;
  /** Public JWK, absent for HS256 (nothing to publish). */
  publicJwk?: JWK;
}

/** The versions of one domain's key by their Secrets Manager staging label. */
export interface DomainKeys {
  current: SigningKey;
  previous?: SigningKey;
  pending?: SigningKey;
}
