import type { JWK } from 'jose';

export const SIGNING_ALGORITHMS = ['ES256', 'EdDSA', 'RS256', 'HS256'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];
export const DEFAULT_ALGORITHM: SigningAlgorithm = 'ES256';

/** One version of a domain's key as stored (in Secrets Manager or the file store). Secret material included. */
export interface SigningKey {
  kid: string;
  alg: SigningAlgorithm;
  createdAt: string;
  /** Who made this version (an operator, the admin API, the scheduled job): the rotation audit trail. */
  createdBy?: string;
  /** Private JWK; for HS256 the shared secret (`kty: oct`). */
  privateJwk: JWK;
  /** Public JWK, absent for HS256 (nothing to publish). */
  publicJwk?: JWK;
}

export const CURRENT = 'AWSCURRENT';
export const PENDING = 'AWSPENDING';
export const PREVIOUS = 'AWSPREVIOUS';

/** A stored version of a domain's secret and the staging labels on it. */
export interface KeyVersion {
  versionId: string;
  stages: string[];
  key: SigningKey;
}

/** The versions of one domain's key by their Secrets Manager staging label. */
export interface DomainKeys {
  current: KeyVersion;
  previous?: KeyVersion;
  pending?: KeyVersion;
}

export function byStage(versions: KeyVersion[]): DomainKeys | undefined {
  const find = (stage: string) => versions.find((version) => version.stages.includes(stage));
  const current = find(CURRENT);
  return current && { current, previous: find(PREVIOUS), pending: find(PENDING) };
}
