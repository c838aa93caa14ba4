import { PresentedCode, PresentedRefreshToken, Session, SessionOwner, UserRef } from './session.js';

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
  /** Marks the session revoked and returns it; undefined if it does not exist. Revoking twice keeps the first time. */
  abstract revoke(id: string, at: number): Promise<Session | undefined>;
  /**
   * Marks the session revoked only if it is `owner`'s (same domain, same username) and returns it;
   * undefined if it is not, or does not exist: the two are one answer. Revoking twice keeps the first time.
   */
  abstract revokeOwned(id: string, owner: UserRef, at: number): Promise<Session | undefined>;
  /**
   * Revokes the session for the reuse of a consumed refresh credential: only if `presentedHash` is
   * not its current credential, and its last rotation (or its creation) is older than `graceFloor`.
   * False when that did not hold (a concurrent refresh within the grace period) or it was revoked.
   */
  abstract revokeForReuse(id: string, presentedHash: string, at: number, graceFloor: number): Promise<boolean>;
  abstract listByUser(domain: string, username: string): Promise<Session[]>;

  // OAuth refresh tokens (src/sessions/refresh-token.ts)
  /**
   * Consumes the session's current refresh token for its successor (`nextHash`, one generation
   * on), if the token is current, the client is the session's, and neither session nor token has
   * expired or been revoked at `at`. The consumed hash is remembered in its generation's slot.
   * Returns the updated session, or undefined when the rule did not hold.
   */
  abstract rotateClientRefresh(
    presented: PresentedRefreshToken,
    nextHash: string,
    at: number,
    refreshExpiresAt: number,
  ): Promise<Session | undefined>;
  /**
   * The retry of a refresh whose answer was lost: the presented token is the one consumed by the
   * last rotation, at or after `graceFloor`. Its successor is replaced by `nextHash` (same
   * generation), so the pair handed out first stops working and one chain lives on.
   */
  abstract replaceLostRefresh(
    presented: PresentedRefreshToken,
    nextHash: string,
    at: number,
    graceFloor: number,
  ): Promise<Session | undefined>;
  /** Revokes the session if the presented token is one of its consumed ones (proof its chain was copied). */
  abstract revokeForConsumedRefresh(presented: PresentedRefreshToken, at: number): Promise<boolean>;
  /** Revokes the session if it is the client's (and `refreshHash`, when given, is its current refresh token). */
  abstract revokeForClient(id: string, owner: { domain: string; clientId: string }, at: number, refreshHash?: string): Promise<boolean>;

  // The hosted login page
  /**
   * Records an app session as signed in through a browser session, if that is a live browser
   * session of `username` with fewer than `max` of them; false otherwise (it ended, or is full).
   */
  abstract linkAppSession(browserSessionId: string, username: string, appSessionId: string, at: number, max: number): Promise<boolean>;
  /** A new `authTime` for a live browser session of `username` with room for app sessions (its user signed in again). */
  abstract reauthenticate(browserSessionId: string, username: string, at: number, max: number): Promise<boolean>;
  /**
   * Redeems an authorization code: its hash, domain, client, redirect URI and PKCE challenge all
   * match, it is unused, unexpired and not revoked. One conditional write starts the session's
   * refresh chain. Undefined when the rule did not hold.
   */
  abstract redeemCode(presented: PresentedCode, at: number): Promise<Session | undefined>;
  /** Revokes the session of an authorization code that was already redeemed (RFC 6749 §4.1.2); undefined when it was not. */
  abstract revokeForCodeReplay(id: string, codeHash: string, at: number): Promise<Session | undefined>;

  /** Removes the session item (its domain is being deleted); false if there was none. */
  abstract delete(id: string): Promise<boolean>;
}
