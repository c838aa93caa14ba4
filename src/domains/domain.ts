import { SigningAlgorithm } from '../keys/signing-key.js';
import type { LoginThrottleSettings } from '../throttling/throttle-rules.js';

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
  /**
   * How long after a refresh the credential it consumed may come again (two tabs refreshing at
   * once) and only be refused; later, its reuse revokes the session. At most 10 s.
   */
  refreshReuseGraceSeconds?: number;
  /** The shortest password its users may set; absent: 8 (NIST SP 800-63B). */
  passwordMinLength?: number;
  /** Login throttling of this domain; absent: LOGIN_THROTTLE_DEFAULTS. */
  loginThrottle?: LoginThrottleSettings;
  /** When its signing key last rotated (absent: never, the first key's age counts). */
  lastRotatedAt?: string;
  createdAt: string;
  updatedAt: string;
}

/** DNS-label-like: safe in URLs, secret names and file names. */
export const DOMAIN_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The grace of a refresh credential's reuse when a domain does not set its own. */
export const DEFAULT_REFRESH_REUSE_GRACE_SECONDS = 5;
