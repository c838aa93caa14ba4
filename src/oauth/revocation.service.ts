import { Injectable } from '@nestjs/common';
import { Domain } from '../domains/domain.js';
import { EventsService } from '../events/events.service.js';
import { parseRefreshToken } from '../sessions/refresh-token.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { TokensService } from '../tokens/tokens.service.js';
import { Client } from '../clients/client.js';
import { UnsupportedTokenType } from './oauth-errors.js';

/**
 * Token revocation (RFC 7009). A refresh token, or a user's access token, ends the session it
 * belongs to, so every token of that grant stops working (introspection, session checks, refresh):
 * a logout that sticks. A token that is not the client's, unknown, or already dead revokes nothing
 * and is answered the same (RFC 7009 §2.2). A client's own access token cannot be revoked: it
 * carries no session and simply expires.
 */
@Injectable()
export class RevocationService {
  constructor(
    private readonly tokens: TokensService,
    private readonly sessions: SessionsService,
    private readonly events: EventsService,
  ) {}

  async revoke(domain: Domain, client: Client, token: string): Promise<void> {
    const owner = { domain: domain.name, clientId: client.clientId };
    const refresh = parseRefreshToken(token);
    if (refresh) {
      if (await this.sessions.revokeByRefreshToken(token, owner)) this.revoked(owner, refresh.sessionId);
      return;
    }
    const claims = await this.tokens.verifyAccessToken(domain, token);
    if (!claims || claims.client_id !== client.clientId) return;
    if (claims.sid === undefined) throw new UnsupportedTokenType("A client's own access tokens are not revocable; they expire");
    if (await this.sessions.revokeForClient(claims.sid, owner)) this.revoked(owner, claims.sid, claims.sub);
  }

  private revoked(owner: { domain: string; clientId: string }, sessionId: string, username?: string): void {
    this.events.record({ type: 'session_revoked', domain: owner.domain, clientId: owner.clientId, sessionId, username, actor: 'client' });
  }
}
