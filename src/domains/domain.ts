import { SigningAlgorithm } from '../keys/signing-key.js';

export type DomainStatus = 'active' | 'disabled';

/** A tenant: its own users, sessions and signing keys. */
export interface Domain {
  name: string;
  status: DomainStatus;
  algorithm: SigningAlgorithm;
  /** The `aud` of its tokens. */
  audience: string;
  accessTokenTtlSeconds: number;
  sessionTtlSeconds: number;
  /** Browser origins allowed to call /login and /refresh for this domain. */
  corsOrigins: string[];
  rotationPeriodDays: number;
  /** When its signing key last rotated (absent: never, the first key's age counts). */
  lastRotatedAt?: string;
  createdAt: string;
  updatedAt: string;
}

/** DNS-label-like: safe in URLs, secret names and file names. */
export const DOMAIN_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
