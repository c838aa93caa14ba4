/** The grants the token endpoint serves. */
export const GRANT_TYPES = ['authorization_code', 'client_credentials', 'password', 'refresh_token'] as const;
export type GrantType = (typeof GRANT_TYPES)[number];

export type ClientType = 'confidential' | 'public';
export type ClientStatus = 'active' | 'disabled';

/** An OAuth 2.0 client of one domain (RFC 6749 §2). */
export interface Client {
  domain: string;
  clientId: string;
  name: string;
  /** Confidential clients hold a secret; public ones (browser, mobile apps) cannot keep one. */
  type: ClientType;
  grantTypes: GrantType[];
  redirectUris: string[];
  /** Where RP-initiated logout may send the browser afterwards (exact match, the redirect URI rules). */
  postLogoutRedirectUris: string[];
  /** What it may ask for; a request without `scope` gets all of them. */
  scopes: string[];
  /** The `aud` of its access tokens; the domain's audience when absent. */
  audience?: string;
  /** Its access tokens' lifetime; the domain's when absent. */
  accessTokenTtlSeconds?: number;
  /** How long an unused refresh token lives (sliding); the session's lifetime caps it. */
  refreshTokenTtlSeconds: number;
  /** How long after a refresh the refresh token it consumed may come again as a retry of a lost response. */
  refreshReuseGraceSeconds: number;
  status: ClientStatus;
  /** SHA-256 of the secret (confidential clients); the secret itself is shown once and never stored. */
  secretHash?: string;
  /** The secret a rotation replaced, honoured until `previousSecretExpiresAt` (epoch ms). */
  previousSecretHash?: string;
  previousSecretExpiresAt?: number;
  createdAt: string;
  updatedAt: string;
}

/** A client as the admin API shows it: never a secret or its hash. */
export interface ClientView extends Omit<Client, 'secretHash' | 'previousSecretHash' | 'previousSecretExpiresAt'> {
  /** Until when the secret a rotation replaced still works (ISO 8601), while it does. */
  previousSecretValidUntil?: string;
}

export function toClientView(client: Client, now: number): ClientView {
  const { secretHash: _secret, previousSecretHash: _previous, previousSecretExpiresAt, ...view } = client;
  const previousValid = previousSecretExpiresAt !== undefined && previousSecretExpiresAt > now;
  return { ...view, ...(previousValid && { previousSecretValidUntil: new Date(previousSecretExpiresAt).toISOString() }) };
}

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ). */
export const SCOPE_TOKEN_PATTERN = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/;

/** Client ids: 128 random bits, base64url. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export const CLIENT_DEFAULTS = {
  /** 14 days: a refresh token nobody used for two weeks is gone; an active app never notices. */
  refreshTokenTtlSeconds: 14 * 86_400,
  /** Enough for a client to retry a refresh whose response it lost; bounded by MAX below. */
  refreshReuseGraceSeconds: 5,
  /** How long a rotated-out secret keeps working, unless the rotation says otherwise. */
  secretRotationGraceSeconds: 86_400,
};

export const CLIENT_BOUNDS = {
  accessTokenTtlSeconds: { min: 60, max: 86_400 },
  refreshTokenTtlSeconds: { min: 60, max: 365 * 86_400 },
  refreshReuseGraceSeconds: { min: 0, max: 60 },
  secretRotationGraceSeconds: { min: 0, max: 7 * 86_400 },
};

/** A client as stored, with what clients registered before a field existed have (none of it). */
export function withDefaults(client: Client): Client {
  return { ...client, postLogoutRedirectUris: client.postLogoutRedirectUris ?? [] };
}
