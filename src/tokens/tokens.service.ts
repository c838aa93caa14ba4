import { Injectable } from '@nestjs/common';
import { SignJWT, decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { Clock } from '../common/clock.js';
import { InvalidToken, InvalidTokenDomain } from '../common/errors.js';
import { randomSecret } from '../common/secrets.js';
import { AppConfig } from '../config/app-config.js';
import { traced } from '../tracing/traced.js';
import { Domain } from '../domains/domain.js';
import { DomainsService } from '../domains/domains.service.js';
import { LoadedKeys, SigningKeysService, UsableKey } from '../keys/signing-keys.service.js';
import { tokenHash } from './token-hash.js';
import { ACCESS_TOKEN_TYPE, AccessTokenClaims, AccessTokenGrant, IdTokenGrant, OAuthAccessTokenClaims, issuerOf } from './access-token.js';

export interface VerifiedToken {
  claims: AccessTokenClaims;
  domain: Domain;
  expired: boolean;
}

@Injectable()
export class TokensService {
  constructor(
    private readonly keys: SigningKeysService,
    private readonly domains: DomainsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** A token of the old contract: the refresh credential rides inside it. */
  issue(domain: Domain, username: string, sessionId: string, refreshToken: string): Promise<string> {
    const claims = { domain: domain.name, username, session: sessionId, sid: sessionId, refresh_token: refreshToken };
    return this.sign(domain, claims, {
      typ: 'JWT',
      subject: username,
      audience: domain.audience,
      ttlSeconds: domain.accessTokenTtlSeconds,
    });
  }

  /** An RFC 9068 access token: nothing in it can refresh it. */
  issueAccessToken(domain: Domain, grant: AccessTokenGrant): Promise<string> {
    const claims = { client_id: grant.clientId, scope: grant.scope, ...(grant.sessionId && { sid: grant.sessionId }) };
    return this.sign(domain, claims, { typ: ACCESS_TOKEN_TYPE, ...grant });
  }

  /**
   * An OpenID Connect ID token (OIDC Core §2, §3.1.3.6): for the client, with the sign-in's time
   * and browser session, the request's nonce, and the hash of the access token beside it.
   */
  async issueIdToken(domain: Domain, grant: IdTokenGrant): Promise<string> {
    const keys = await this.keys.load(domain.name);
    if (!keys) throw new InvalidTokenDomain();
    const claims = {
      azp: grant.clientId,
      auth_time: Math.floor(grant.authTime / 1000),
      sid: grant.sessionId,
      at_hash: tokenHash(grant.accessToken, keys.signing.alg),
      ...(grant.nonce !== undefined && { nonce: grant.nonce }),
    };
    return this.sign(domain, claims, { typ: 'JWT', subject: grant.subject, audience: grant.clientId, ttlSeconds: grant.ttlSeconds }, keys);
  }

  private async sign(
    domain: Domain,
    claims: JWTPayload,
    header: { typ: string; subject: string; audience: string; ttlSeconds: number },
    loaded?: LoadedKeys,
  ): Promise<string> {
    const keys = loaded ?? (await this.keys.load(domain.name));
    if (!keys) throw new InvalidTokenDomain();
    const { kid, alg, key } = keys.signing;
    const now = this.clock.nowSeconds();
    const jwt = new SignJWT(claims)
      .setProtectedHeader({ alg, kid, typ: header.typ })
      .setIssuer(issuerOf(this.config.publicUrl, domain.name))
      .setSubject(header.subject)
      .setAudience(header.audience)
      .setJti(randomSecret(16))
      .setIssuedAt(now)
      .setExpirationTime(now + header.ttlSeconds);
    // The signature alone: loading the key is a store call with a span of its own.
    return traced('jwt sign', { 'jwt.alg': alg, 'jwt.typ': header.typ }, () => jwt.sign(key));
  }

  /**
   * The claims of an unexpired RFC 9068 access token of `domain` (signature with the domain's key,
   * `typ`, issuer), or undefined: a token of another domain, a legacy token or garbage alike.
   */
  async verifyAccessToken(domain: Domain, token: string): Promise<OAuthAccessTokenClaims | undefined> {
    const key = await this.keyNamedBy(domain, token);
    if (!key) return undefined;
    try {
      const { payload } = await jwtVerify<OAuthAccessTokenClaims>(token, key.key, {
        algorithms: [key.alg],
        typ: ACCESS_TOKEN_TYPE,
        issuer: issuerOf(this.config.publicUrl, domain.name),
        requiredClaims: ['exp', 'iat', 'sub', 'jti', 'client_id', 'scope'],
        currentDate: this.clock.now(),
      });
      return payload;
    } catch {
      return undefined;
    }
  }

  /**
   * The claims of an ID token this domain issued, expired or not (OIDC RP-initiated logout §2:
   * a hint, not a credential), or undefined. An ID token names its client in `azp` and `aud`.
   */
  async verifyIdTokenHint(domain: Domain, token: string): Promise<{ sub: string; clientId: string; sid?: string } | undefined> {
    const key = await this.keyNamedBy(domain, token);
    if (!key) return undefined;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key.key, {
        algorithms: [key.alg],
        typ: 'JWT',
        issuer: issuerOf(this.config.publicUrl, domain.name),
        requiredClaims: ['sub', 'aud', 'azp'],
        currentDate: this.clock.now(),
      }));
    } catch (error) {
      if (!(error instanceof errors.JWTExpired)) return undefined;
      payload = error.payload;
    }
    const { sub, azp, aud, sid } = payload;
    const forItsClient = typeof azp === 'string' && (aud === azp || (Array.isArray(aud) && aud.length === 1 && aud[0] === azp));
    if (typeof sub !== 'string' || !forItsClient) return undefined;
    return { sub, clientId: azp, ...(typeof sid === 'string' && { sid }) };
  }

  /** The domain's key a token's `kid` names, or undefined (no kid, not a JWT, a key the domain does not have). */
  private async keyNamedBy(domain: Domain, token: string): Promise<UsableKey | undefined> {
    let kid: unknown;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      return undefined;
    }
    return typeof kid === 'string' ? this.keys.verificationKey(domain.name, kid) : undefined;
  }

  /**
   * Verifies signature, issuer and audience against the keys of the domain the token names. The
   * algorithm is the key's own, never the token's. With `allowExpired`, an expired token passes
   * (refresh and status need it) and says so.
   */
  async verify(token: string, options: { allowExpired: boolean }): Promise<VerifiedToken> {
    const { kid, domainName } = this.peek(token);
    const domain = await this.domains.findActive(domainName);
    if (!domain) throw new InvalidTokenDomain();
    const key = await this.keys.verificationKey(domain.name, kid);
    if (!key) throw new InvalidToken();
    const checks = {
      algorithms: [key.alg],
      issuer: issuerOf(this.config.publicUrl, domain.name),
      audience: domain.audience,
      requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      currentDate: this.clock.now(),
    };
    try {
      const { payload } = await jwtVerify<AccessTokenClaims>(token, key.key, checks);
      return this.checked(payload, domain, false);
    } catch (error) {
      // jose checks exp last, after signature, iss and aud: an expiry error means all else held.
      if (options.allowExpired && error instanceof errors.JWTExpired && error.claim === 'exp') {
        return this.checked(error.payload as AccessTokenClaims, domain, true);
      }
      throw new InvalidToken();
    }
  }

  /** The key id and domain a legacy token names; an RFC 9068 access token is never one (RFC 8725 §3.11). */
  private peek(token: string): { kid: string; domainName: string } {
    try {
      const { kid, typ } = decodeProtectedHeader(token);
      const { domain } = decodeJwt(token);
      const legacy = typ === undefined || typ.toUpperCase() === 'JWT';
      if (legacy && typeof kid === 'string' && typeof domain === 'string') return { kid, domainName: domain };
    } catch {
      // falls through: not a JWT
    }
    throw new InvalidToken();
  }

  private checked(claims: AccessTokenClaims, domain: Domain, expired: boolean): VerifiedToken {
    const valid = claims.domain === domain.name && typeof claims.session === 'string' && typeof claims.username === 'string';
    if (!valid) throw new InvalidToken();
    return { claims, domain, expired };
  }
}
