import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { constantTimeEqual, sha256 } from '../common/secrets.js';
import { AppConfig } from '../config/app-config.js';
import { Domain } from '../domains/domain.js';
import { parseRefreshToken } from '../sessions/refresh-token.js';
import { Session, isSessionAlive } from '../sessions/session.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { issuerOf } from '../tokens/access-token.js';
import { TokensService } from '../tokens/tokens.service.js';
import { Client } from '../clients/client.js';
import { ClientsService } from '../clients/clients.service.js';

/** RFC 7662 §2.2. Inactive tokens say nothing else. */
export interface Introspection {
  active: boolean;
  scope?: string;
  client_id?: string;
  username?: string;
  token_type?: string;
  exp?: number;
  iat?: number;
  sub?: string;
  aud?: string;
  iss?: string;
  jti?: string;
  sid?: string;
}

const INACTIVE: Introspection = { active: false };

/**
 * Token introspection (RFC 7662) for the domain's confidential clients. An access token is active
 * while its signature, issuer and expiry hold, its client is active, and (a user's) its session
 * lives: a revoked session makes its tokens inactive at once. A refresh token is shown to its own
 * client only.
 */
@Injectable()
export class IntrospectionService {
  constructor(
    private readonly tokens: TokensService,
    private readonly sessions: SessionsService,
    private readonly clients: ClientsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  introspect(domain: Domain, caller: Client, token: string): Promise<Introspection> {
    return parseRefreshToken(token) ? this.refreshToken(domain, caller, token) : this.accessToken(domain, token);
  }

  private async accessToken(domain: Domain, token: string): Promise<Introspection> {
    const claims = await this.tokens.verifyAccessToken(domain, token);
    if (!claims) return INACTIVE;
    const [client, session] = await Promise.all([
      this.clients.findActive(domain.name, claims.client_id),
      claims.sid === undefined ? undefined : this.sessions.find(claims.sid),
    ]);
    if (!client) return INACTIVE;
    if (claims.sid !== undefined && !(session && this.liveSessionOf(session, domain, client))) return INACTIVE;
    return {
      active: true,
      scope: claims.scope,
      client_id: claims.client_id,
      ...(claims.sid !== undefined && { username: claims.sub, sid: claims.sid }),
      token_type: 'Bearer',
      exp: claims.exp,
      iat: claims.iat,
      sub: claims.sub,
      aud: claims.aud,
      iss: claims.iss,
      jti: claims.jti,
    };
  }

  private async refreshToken(domain: Domain, caller: Client, token: string): Promise<Introspection> {
    const session = await this.sessions.find(parseRefreshToken(token)!.sessionId);
    if (!session || !this.liveSessionOf(session, domain, caller) || !constantTimeEqual(session.refreshHash, sha256(token))) return INACTIVE;
    const expiresAt = Math.min(session.refreshExpiresAt ?? session.expiresAt, session.expiresAt);
    if (expiresAt <= this.clock.now().getTime()) return INACTIVE;
    return {
      active: true,
      scope: session.scope ?? '',
      client_id: caller.clientId,
      username: session.username,
      sub: session.username,
      sid: session.id,
      exp: Math.floor(expiresAt / 1000),
      iat: Math.floor((session.lastRefreshedAt ?? session.createdAt) / 1000),
      iss: issuerOf(this.config.publicUrl, domain.name),
    };
  }

  private liveSessionOf(session: Session, domain: Domain, client: Client): boolean {
    return session.domain === domain.name && session.clientId === client.clientId && isSessionAlive(session, this.clock.now().getTime());
  }
}
