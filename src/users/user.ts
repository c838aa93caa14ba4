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

export const toUserView = ({ passwordHash: _hash, ...view }: User): UserView => view;
