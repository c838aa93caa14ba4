import { Injectable } from '@nestjs/common';
import { SignJWT, decodeJwt, decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { Clock } from '../common/clock.js';
import { InvalidToken, InvalidTokenDomain } from '../common/errors.js';
import { randomSecret } from '../common/secrets.js';
import { AppConfig } from '../config/app-config.js';
import { Domain } from '../domains/domain.js';
import { DomainsService } from '../domains/domains.service.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { AccessTokenClaims, issuerOf } from './access-token.js';

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

  async issue(domain: Domain, username: string, sessionId: string, refreshToken: string): Promise<string> {
    const keys = await this.keys.load(domain.name);
    if (!keys) throw new InvalidTokenDomain();
    const { kid, alg, key } = keys.signing;
    const now = this.clock.nowSeconds();
    return new SignJWT({ domain: domain.name, username, session: sessionId, sid: sessionId, refresh_token: refreshToken })
      .setProtectedHeader({ alg, kid, typ: 'JWT' })
      .setIssuer(issuerOf(this.config.publicUrl, domain.name))
      .setSubject(username)
      .setAudience(domain.audience)
      .setJti(randomSecret(16))
      .setIssuedAt(now)
      .setExpirationTime(now + domain.accessTokenTtlSeconds)
      .sign(key);
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

  private peek(token: string): { kid: string; domainName: string } {
    try {
      const { kid } = decodeProtectedHeader(token);
      const { domain } = decodeJwt(token);
      if (typeof kid === 'string' && typeof domain === 'string') return { kid, domainName: domain };
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
