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
  /**
   * Revokes the session for the reuse of a consumed refresh credential: only if `presentedHash` is
   * not its current credential, and its last rotation (or its creation) is older than `graceFloor`.
   * False when that did not hold (a concurrent refresh within the grace period) or it was revoked.
   */
  abstract revokeForReuse(id: string, presentedHash: string, at: number, graceFloor: number): Promise<boolean>;
  abstract listByUser(domain: string, username: string): Promise<Session[]>;
}
