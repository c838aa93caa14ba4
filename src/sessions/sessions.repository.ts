import { Session, SessionOwner } from './session.js';

export abstract class SessionsRepository {
  abstract create(session: Session): Promise<void>;
  /** A strongly consistent read: revocations are seen at once. */
  abstract find(id: string): Promise<Session | undefined>;
  /**
   * Replaces the refresh credential hash only if the session belongs to `owner`, is neither revoked
   * nor expired at `at`, and its hash still is `expectedHash`: one conditional write, so of two
   * refreshes with the same credential exactly one wins.
   */
  abstract rotateRefreshHash(owner: SessionOwner, expectedHash: string, newHash: string, at: number): Promise<boolean>;
  /** Marks the session revoked; false if it does not exist. Revoking twice keeps the first time. */
  abstract revoke(id: string, at: number): Promise<boolean>;
  abstract listByUser(domain: string, username: string): Promise<Session[]>;
}
