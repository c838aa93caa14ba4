import { Clock } from '../common/clock.js';
import { InvalidCredentials, PasswordRejected } from '../common/errors.js';
import { loadConfig } from '../config/load-config.js';
import type { Domain } from '../domains/domain.js';
import type { DomainsService } from '../domains/domains.service.js';
import type { SessionsService } from '../sessions/sessions.service.js';
import { PasswordHasher } from './password-hasher.js';
import { PasswordPolicy } from './password-policy.js';
import type { User } from './user.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';
import type { EventsService } from '../events/events.service.js';
import type { EventFacts } from '../events/security-event.js';

/** The users table in memory, with the adapter's conditions. */
class MemoryUsers extends UsersRepository {
  readonly rows = new Map<string, User>();
  private key = (domain: string, username: string) => `${domain}#${username}`;

  find(domain: string, username: string) {
    const row = this.rows.get(this.key(domain, username));
    return Promise.resolve(row && { ...row }); // a copy, as a read from a store is
  }
  create(user: User) {
    this.rows.set(this.key(user.domain, user.username), { ...user });
    return Promise.resolve(true);
  }
  update(): Promise<User | undefined> {
    throw new Error('not used here');
  }
  listUsernames(): AsyncIterable<string[]> {
    throw new Error('not used here');
  }
  delete(): Promise<boolean> {
    throw new Error('not used here');
  }
  upgradePasswordHash(domain: string, username: string, from: string, to: string) {
    return this.swap(domain, username, (user) => user.passwordHash === from, to);
  }
  changePasswordHash(domain: string, username: string, from: string, to: string) {
    return this.swap(domain, username, (user) => user.passwordHash === from && user.status === 'active', to);
  }
  private swap(domain: string, username: string, condition: (user: User) => boolean, to: string) {
    const user = this.rows.get(this.key(domain, username));
    if (!user || !condition(user)) return Promise.resolve(false);
    user.passwordHash = to;
    return Promise.resolve(true);
  }
}

describe('UsersService: a user changing their own password', () => {
  // Cheap argon2 for the stored hash, a stronger setting for the service: every check upgrades it.
  const weak = new PasswordHasher(loadConfig({ ARGON2_MEMORY_KIB: '7168', ARGON2_TIME_COST: '5' }));
  const config = loadConfig({ ARGON2_MEMORY_KIB: '9216', ARGON2_TIME_COST: '5' });
  const domain = { name: 'shop', passwordMinLength: 8 } as Domain;
  let users: MemoryUsers;
  let revoked: { domain: string; username: string; keep?: string }[];
  let recorded: EventFacts[];
  let service: UsersService;

  beforeEach(async () => {
    users = new MemoryUsers();
    revoked = [];
    const sessions = {
      revokeAllForUser: (domainName: string, username: string, { keep }: { keep?: string } = {}) => {
        revoked.push({ domain: domainName, username, keep });
        return Promise.resolve(0);
      },
    } as unknown as SessionsService;
    recorded = [];
    const events = { record: (facts: EventFacts) => recorded.push(facts) } as unknown as EventsService;
    service = new UsersService(
      users,
      {} as DomainsService,
      new PasswordHasher(config),
      new PasswordPolicy(config),
      sessions,
      new Clock(),
      events,
    );
    const now = new Date().toISOString();
    await users.create({
      domain: 'shop',
      username: 'alice',
      passwordHash: await weak.hash('the old passphrase'),
      status: 'active',
      createdAt: now,
      updatedAt: now,
    });
  });

  const stored = () => users.rows.get('shop#alice')!.passwordHash;

  it('is conditioned on the hash stored after the check, the upgraded one when the check upgraded it', async () => {
    const before = stored();
    const { checkedHash } = await service.verifyCredentials('shop', 'alice', 'the old passphrase');
    expect(checkedHash).not.toBe(before);
    expect(checkedHash).toBe(stored());

    await service.changePassword(domain, 'alice', checkedHash, 'the new passphrase', 'the-callers-session');
    await expect(service.verifyCredentials('shop', 'alice', 'the new passphrase')).resolves.toMatchObject({ username: 'alice' });
    expect(revoked).toEqual([{ domain: 'shop', username: 'alice', keep: 'the-callers-session' }]);
    expect(recorded).toEqual([
      { type: 'password_changed', domain: 'shop', username: 'alice', sessionId: 'the-callers-session', actor: 'user' },
    ]);
  });

  it('fails as a wrong password would once the checked hash is no longer stored, ending no session', async () => {
    const { checkedHash } = await service.verifyCredentials('shop', 'alice', 'the old passphrase');
    await service.changePassword(domain, 'alice', checkedHash, 'set by the first tab', 'one');
    await expect(service.changePassword(domain, 'alice', checkedHash, 'set by the second tab', 'two')).rejects.toBeInstanceOf(
      InvalidCredentials,
    );
    await expect(service.verifyCredentials('shop', 'alice', 'set by the first tab')).resolves.toBeDefined();
    expect(revoked).toHaveLength(1);
    expect(recorded).toHaveLength(1);
  });

  it('fails once the user is disabled', async () => {
    const { checkedHash } = await service.verifyCredentials('shop', 'alice', 'the old passphrase');
    users.rows.get('shop#alice')!.status = 'disabled';
    await expect(service.changePassword(domain, 'alice', checkedHash, 'the new passphrase', 'one')).rejects.toBeInstanceOf(
      InvalidCredentials,
    );
    expect(revoked).toEqual([]);
  });

  it("applies the domain's policy before anything is stored", async () => {
    const { checkedHash } = await service.verifyCredentials('shop', 'alice', 'the old passphrase');
    await expect(
      service.changePassword({ ...domain, passwordMinLength: 40 }, 'alice', checkedHash, 'the new passphrase', 'one'),
    ).rejects.toEqual(expect.objectContaining({ code: 'password_too_short' }));
    await expect(service.changePassword(domain, 'alice', checkedHash, 'password123', 'one')).rejects.toBeInstanceOf(PasswordRejected);
    expect(stored()).toBe(checkedHash);
    expect(revoked).toEqual([]);
  });
});
