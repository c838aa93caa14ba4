import { SigningAlgorithm } from '../keys/signing-key.js';
import { DEFAULT_EVENT_RETENTION_DAYS } from '../events/security-event.js';
import { LOGIN_THROTTLE_DEFAULTS, type LoginThrottleSettings } from '../throttling/throttle-rules.js';

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
  refreshReuseGraceSeconds: number;
  /** The shortest password its users may set (NIST SP 800-63B: at least 8). */
  passwordMinLength: number;
  /** Login throttling of this domain. */
  loginThrottle: LoginThrottleSettings;
  /** How many days its security events are kept (their TTL). */
  eventRetentionDays: number;
  /** What its hosted login page calls it (absent: its name). */
  displayName?: string;
  /** The logo on its login page: an absolute https URL. */
  logoUrl?: string;
  /** The accent colour of its login page, `#rrggbb` as the admin wrote it. */
  brandColor?: string;
  /** When its signing key last rotated (absent: never, the first key's age counts). */
  lastRotatedAt?: string;
  /** Set when its deletion began (only a disabled domain is deleted): it can no longer be enabled. */
  deletingAt?: string;
  createdAt: string;
  updatedAt: string;
}

/** DNS-label-like: safe in URLs, secret names and file names. */
export const DOMAIN_NAME_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** The security settings a domain has unless it says otherwise (and that domains made before them get). */
export type DomainSecuritySettings = Pick<
  Domain,
  'refreshReuseGraceSeconds' | 'passwordMinLength' | 'loginThrottle' | 'eventRetentionDays'
>;

export const DEFAULT_SECURITY_SETTINGS: DomainSecuritySettings = {
  refreshReuseGraceSeconds: 5,
  passwordMinLength: 8,
  loginThrottle: LOGIN_THROTTLE_DEFAULTS,
  eventRetentionDays: DEFAULT_EVENT_RETENTION_DAYS,
};

/** How the hosted login page presents the domain; each optional. */
export type DomainBranding = Pick<Domain, 'displayName' | 'logoUrl' | 'brandColor'>;

/**
 * What an admin may change after creation (the name, algorithm and audience stay: tokens name them).
 * A branding setting has no default to fall back to, so `null` is how an update removes one.
 */
export type DomainSettings = Pick<
  Domain,
  'accessTokenTtlSeconds' | 'sessionTtlSeconds' | 'corsOrigins' | 'rotationPeriodDays' | keyof DomainSecuritySettings
> & { [K in keyof DomainBranding]?: DomainBranding[K] | null };
