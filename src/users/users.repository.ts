import { User } from './user.js';

export abstract class UsersRepository {
  abstract find(domain: string, username: string): Promise<User | undefined>;
  /** Writes a new user; false if the username is taken in that domain. */
  abstract create(user: User): Promise<boolean>;
  /** Updates an existing user; returns it, or undefined if it does not exist. */
  abstract update(
    domain: string,
    username: string,
    changes: Partial<Pick<User, 'passwordHash' | 'status'>> & { updatedAt: string },
  ): Promise<User | undefined>;
  /**
   * Swaps the password hash for a stronger one of the same password, only while `from` is still the
   * stored hash: a password changed meanwhile is never overwritten. False if it was.
   */
  abstract upgradePasswordHash(domain: string, username: string, from: string, to: string, updatedAt: string): Promise<boolean>;
  /**
   * The user's own password change: `to` replaces the hash only while `from`, the hash their
   * current password was just checked against, is still stored and the user is active. False when
   * either no longer holds (the password changed meanwhile, or the user was disabled).
   */
  abstract changePasswordHash(domain: string, username: string, from: string, to: string, updatedAt: string): Promise<boolean>;
  /** The usernames of a domain, a page at a time (the domain's deletion walks them). */
  abstract listUsernames(domain: string): AsyncIterable<string[]>;
  /** Removes the user; false if there was none. */
  abstract delete(domain: string, username: string): Promise<boolean>;
}
