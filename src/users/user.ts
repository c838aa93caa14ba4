export type UserStatus = 'active' | 'disabled';

export interface User {
  domain: string;
  username: string;
  /** argon2id PHC string; never leaves the service. */
  passwordHash: string;
  status: UserStatus;
  createdAt: string;
  updatedAt: string;
}

/** What the admin API shows of a user. */
export type UserView = Omit<User, 'passwordHash'>;

/**
 * A user whose password was just checked, with the stored hash it matched (the upgraded one, if the
 * check upgraded it): a password change is conditioned on it still being stored. Stays in the service.
 */
export interface VerifiedUser extends UserView {
  checkedHash: string;
}

export const toUserView = ({ passwordHash: _hash, ...view }: User): UserView => view;
