import { Injectable } from '@nestjs/common';
import { AuthService, type SignedInUser } from '../auth/auth.service.js';
import { Clock } from '../common/clock.js';
import { EventsService } from '../events/events.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { UsersService } from '../users/users.service.js';
import { OwnSession, ownSessionView } from './own-session.js';

/** A signed-in user's self-service: their password and their sessions, composed from the modules that own them. */
@Injectable()
export class AccountService {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly clock: Clock,
    private readonly events: EventsService,
  ) {}

  /**
   * The current password goes through the one credential check (a wrong one is a failed login,
   * throttled like any); the new one is stored only while the checked hash is still the stored
   * one, and every other session ends. The caller's session lives on.
   */
  async changePassword(user: SignedInUser, currentPassword: string, newPassword: string, clientAddress: string): Promise<void> {
    const { domain, username, checkedHash } = await this.auth.authenticate(user.domain.name, user.username, currentPassword, clientAddress);
    await this.users.changePassword(domain, username, checkedHash, newPassword, user.session.id);
  }

  /** Every session of the user the store still holds, newest first, the caller's marked. */
  async listSessions(user: SignedInUser): Promise<OwnSession[]> {
    const now = this.clock.now().getTime();
    const sessions = await this.sessions.listForUser(user.domain.name, user.username);
    return sessions.map((session) => ownSessionView(session, user.session.id, now));
  }

  async revokeSession(user: SignedInUser, id: string): Promise<void> {
    await this.sessions.revokeOwned(id, { domain: user.domain.name, username: user.username });
    this.events.record({ type: 'session_revoked', domain: user.domain.name, username: user.username, sessionId: id, actor: 'user' });
  }
}
