import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { InvalidCredentials, UserExists, UserNotFound } from '../common/errors.js';
import { DomainsService } from '../domains/domains.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { PasswordHasher } from './password-hasher.js';
import { PasswordPolicy } from './password-policy.js';
import { User, UserStatus, UserView, toUserView } from './user.js';
import { UsersRepository } from './users.repository.js';

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
    return toUserView(user);
  }

  /** A new password ends every session of the user: whoever knew the old one is logged out. */
  async setPassword(domain: string, username: string, password: string): Promise<UserView> {
    await this.policy.check(password, (await this.domains.get(domain)).passwordMinLength);
    const passwordHash = await this.hasher.hash(password);
    const user = await this.update(domain, username, { passwordHash });
    await this.sessions.revokeAllForUser(domain, username);
    return user;
  }

  /** Disabling a user also ends its sessions, so other services' session checks see it at once. */
  async setStatus(domain: string, username: string, status: UserStatus): Promise<UserView> {
    const user = await this.update(domain, username, { status });
    if (status === 'disabled') await this.sessions.revokeAllForUser(domain, username);
    return user;
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
  async verifyCredentials(domain: string, username: string, password: string): Promise<UserView> {
    const user = await this.users.find(domain, username);
    const matches = user ? await this.hasher.verify(user.passwordHash, password) : await this.hasher.verifyNothing(password);
    if (!user || !matches || user.status !== 'active') throw new InvalidCredentials();
    await this.upgradeHash(user, password);
    return toUserView(user);
  }

  /**
   * After a successful login, the one moment the password is known: a hash made with other argon2
   * parameters than configured is replaced by a new one, unless the password changed meanwhile.
   * The login never fails for it.
   */
  private async upgradeHash(user: User, password: string): Promise<void> {
    if (!this.hasher.needsRehash(user.passwordHash)) return;
    try {
      const upgraded = await this.hasher.hash(password);
      await this.users.upgradePasswordHash(user.domain, user.username, user.passwordHash, upgraded, this.clock.now().toISOString());
    } catch (error) {
      this.logger.warn(`Could not upgrade a password hash: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async update(domain: string, username: string, changes: Partial<Pick<User, 'passwordHash' | 'status'>>): Promise<UserView> {
    const user = await this.users.update(domain, username, { ...changes, updatedAt: this.clock.now().toISOString() });
    if (!user) throw new UserNotFound();
    return toUserView(user);
  }
}
