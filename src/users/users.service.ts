import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { InvalidCredentials, UserExists, UserNotFound } from '../common/errors.js';
import { Domain } from '../domains/domain.js';
import { DomainsService } from '../domains/domains.service.js';
import { EventsService } from '../events/events.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { PasswordHasher } from './password-hasher.js';
import { PasswordPolicy } from './password-policy.js';
import { User, UserStatus, UserView, VerifiedUser, toUserView } from './user.js';
import { UsersRepository } from './users.repository.js';
import { inBatches } from '../common/in-batches.js';

@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    private readonly users: UsersRepository,
    private readonly domains: DomainsService,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly sessions: SessionsService,
    private readonly clock: Clock,
    private readonly events: EventsService,
  ) {}

  async create(domain: string, username: string, password: string): Promise<UserView> {
    await this.policy.check(password, (await this.domains.get(domain)).passwordMinLength);
    const now = this.clock.now().toISOString();
    const user: User = {
      domain,
      username,
      passwordHash: await this.hasher.hash(password),
      status: 'active',
      createdAt: now,
      updatedAt: now,
    };
    if (!(await this.users.create(user))) throw new UserExists();
    this.events.record({ type: 'user_created', domain, username, actor: 'admin' });
    return toUserView(user);
  }

  /** A new password ends every session of the user: whoever knew the old one is logged out. */
  async setPassword(domain: string, username: string, password: string): Promise<UserView> {
    await this.policy.check(password, (await this.domains.get(domain)).passwordMinLength);
    const passwordHash = await this.hasher.hash(password);
    const user = await this.update(domain, username, { passwordHash });
    await this.sessions.revokeAllForUser(domain, username);
    this.events.record({ type: 'password_changed', domain, username, actor: 'admin' });
    return user;
  }

  /**
   * A signed-in user's own new password, after the credential check matched their current one
   * against `checkedHash`: the domain's policy, then one conditional write that holds only while
   * `checkedHash` is still stored and the user active (a password set meanwhile wins, and this
   * change fails as a wrong password would). Then every session of the user but `keep` ends.
   */
  async changePassword(domain: Domain, username: string, checkedHash: string, password: string, keep: string): Promise<void> {
    await this.policy.check(password, domain.passwordMinLength);
    const passwordHash = await this.hasher.hash(password);
    const changed = await this.users.changePasswordHash(domain.name, username, checkedHash, passwordHash, this.clock.now().toISOString());
    if (!changed) throw new InvalidCredentials();
    await this.sessions.revokeAllForUser(domain.name, username, { keep });
    this.events.record({ type: 'password_changed', domain: domain.name, username, sessionId: keep, actor: 'user' });
  }

  /** Disabling a user also ends its sessions, so other services' session checks see it at once. */
  async setStatus(domain: string, username: string, status: UserStatus): Promise<UserView> {
    const user = await this.update(domain, username, { status });
    if (status === 'disabled') await this.sessions.revokeAllForUser(domain, username);
    this.events.record({ type: status === 'disabled' ? 'user_disabled' : 'user_enabled', domain, username, actor: 'admin' });
    return user;
  }

  /** Deletes every user of a domain being deleted, each with their sessions; returns how many. */
  async deleteAllOf(domain: string): Promise<number> {
    let deleted = 0;
    for await (const usernames of this.users.listUsernames(domain)) {
      await inBatches(usernames, async (username) => {
        await this.sessions.deleteAllOfUser(domain, username);
        if (await this.users.delete(domain, username)) deleted++;
      });
    }
    return deleted;
  }

  async get(domain: string, username: string): Promise<UserView> {
    const user = await this.users.find(domain, username);
    if (!user) throw new UserNotFound();
    return toUserView(user);
  }

  /**
   * The user, if the password is right and the user active. Unknown, disabled and wrong-password
   * cases cost the same argon2 work and fail with the same error.
   */
  async verifyCredentials(domain: string, username: string, password: string): Promise<VerifiedUser> {
    const user = await this.users.find(domain, username);
    const matches = user ? await this.hasher.verify(user.passwordHash, password) : await this.hasher.verifyNothing(password);
    if (!user) throw InvalidCredentials.because('unknown_user');
    if (!matches) throw InvalidCredentials.because('wrong_password');
    if (user.status !== 'active') throw InvalidCredentials.because('user_disabled');
    return { ...toUserView(user), checkedHash: await this.upgradeHash(user, password) };
  }

  /**
   * After a successful login, the one moment the password is known: a hash made with other argon2
   * parameters than configured is replaced by a new one, unless the password changed meanwhile.
   * The login never fails for it. Returns the hash stored now, as far as this check knows.
   */
  private async upgradeHash(user: User, password: string): Promise<string> {
    if (!this.hasher.needsRehash(user.passwordHash)) return user.passwordHash;
    try {
      const upgraded = await this.hasher.hash(password);
      const now = this.clock.now().toISOString();
      if (await this.users.upgradePasswordHash(user.domain, user.username, user.passwordHash, upgraded, now)) return upgraded;
    } catch (error) {
      this.logger.warn(`Could not upgrade a password hash: ${error instanceof Error ? error.message : String(error)}`);
    }
    return user.passwordHash;
  }

  private async update(domain: string, username: string, changes: Partial<Pick<User, 'passwordHash' | 'status'>>): Promise<UserView> {
    const user = await this.users.update(domain, username, { ...changes, updatedAt: this.clock.now().toISOString() });
    if (!user) throw new UserNotFound();
    return toUserView(user);
  }
}
