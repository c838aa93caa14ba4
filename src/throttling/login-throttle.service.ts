import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { TooManyAttempts } from '../common/errors.js';
import type { Domain } from '../domains/domain.js';
import { blockedUntil, type LoginThrottleSettings, type ThrottleRule } from './throttle-rules.js';
import { ThrottleRepository, type ThrottleEntry } from './throttle.repository.js';

/** How long a client stays known to an account after a successful login from it. */
const KNOWN_CLIENT_MS = 30 * 86_400_000;
/**
 * The in-process cache of blocks: a hint in front of the store, never the rule itself. Bounded in
 * size, and in time, so that an admin's clear reaches every instance within seconds.
 */
const BLOCK_CACHE_SIZE = 10_000;
const BLOCK_CACHE_MS = 10_000;
/** Longer than a password check and the failure write after it; a crashed attempt's lease lapses. */
const LEASE_MS = 5_000;

/** One login attempt the throttle let through, to be reported as failed or succeeded. */
export interface Attempt {
  settings: LoginThrottleSettings;
  /** The counter this client's account failures go to: its own (known client) or the account's. */
  personalKey: string;
  /** This client at this account: its mark once it logged in, its own failures, its cached block. */
  clientKey: string;
  addressKey: string;
  known: boolean;
  /** It holds the personal key's one-attempt lease (given back by the failure or the success). */
  leased: boolean;
  hadFailures: boolean;
}

const component = (value: string) => encodeURIComponent(value);

/**
 * Login throttling shared by every instance (the counters live in the store). Two rules:
 * - an account (domain + username, existing or not: the answer never tells) gets exponentially
 *   growing waits after a few failures. A client that logged into the account before (the same
 *   address, within 30 days) has a counter of its own instead, so an attacker hammering the account
 *   from elsewhere never locks its real user out on a known client;
 * - a client address gets the same, per domain and across usernames, with a looser limit
 *   (password spraying).
 * A refused attempt costs no argon2 work, and no store round trip while its block is cached here.
 */
@Injectable()
export class LoginThrottleService {
  private readonly blocks = new Map<string, { until: number; recheckAt: number }>();

  constructor(
    private readonly throttles: ThrottleRepository,
    private readonly clock: Clock,
  ) {}

  /** Lets the attempt through, or refuses it with 429 and `Retry-After`. */
  async admit(domainOf: Domain, username: string, address: string): Promise<Attempt> {
    const { name: domain } = domainOf;
    const settings = domainOf.loginThrottle;
    const now = this.clock.now().getTime();
    const accountKey = accountKeyOf(domain, username);
    const clientKey = `client#${domain}#${component(username)}#${address}`;
    const addressKey = `address#${domain}#${address}`;
    this.refuseIfCached(now, clientKey, addressKey);

    const entries = await this.throttles.read([accountKey, clientKey, addressKey]);
    const known = entries.get(clientKey)?.known === true;
    const personalKey = known ? clientKey : accountKey;
    const personal = entries.get(personalKey);
    const until = Math.max(
      blockedUntil(counted(personal), settings.account, now),
      blockedUntil(counted(entries.get(addressKey)), settings.address, now),
    );
    if (until > 0) this.refuse(now, until, clientKey);
    // One failure away from a wait, the read alone would let attempts racing in the same instant
    // all reach the password check: there, one conditional write decides who goes, one at a time.
    const leased = (personal?.failures ?? 0) >= settings.account.failures - 1;
    if (leased && !(await this.throttles.lease(personalKey, now, now + LEASE_MS))) throw new TooManyAttempts(1);
    return { settings, personalKey, clientKey, addressKey, known, leased, hadFailures: (personal?.failures ?? 0) > 0 };
  }

  /** Counts the failure against the account (or this client's own counter) and the address. */
  async failed(attempt: Attempt): Promise<void> {
    const now = this.clock.now().getTime();
    const { settings } = attempt;
    // A known client's item is also its mark: it keeps living for the mark's time.
    const personalExpiry = attempt.known ? now + KNOWN_CLIENT_MS : expiry(now, settings.account);
    const [personal, address] = await Promise.all([
      this.throttles.recordFailure(attempt.personalKey, now, windowMs(settings.account), personalExpiry),
      this.throttles.recordFailure(attempt.addressKey, now, windowMs(settings.address), expiry(now, settings.address)),
    ]);
    // The next attempt of this client need not ask the store: remember the block it earned.
    const personalUntil = blockedUntil(personal, settings.account, now);
    const addressUntil = blockedUntil(address, settings.address, now);
    if (personalUntil > 0) this.cache(attempt.clientKey, personalUntil, now);
    if (addressUntil > 0) this.cache(attempt.addressKey, addressUntil, now);
  }

  /**
   * A success resets the count, and marks this client as known to the account (one write, which
   * also resets a known client's own count). A known client with no failures costs no write.
   */
  async succeeded(attempt: Attempt): Promise<void> {
    const now = this.clock.now().getTime();
    const resetAccount = !attempt.known && (attempt.hadFailures || attempt.leased);
    const mark = !attempt.known || attempt.hadFailures || attempt.leased;
    await Promise.all([
      resetAccount ? this.throttles.clear([attempt.personalKey]) : undefined,
      mark ? this.throttles.remember(attempt.clientKey, now + KNOWN_CLIENT_MS) : undefined,
    ]);
  }

  /** The account's own counter (what unknown clients are throttled by), for the admin API. */
  async accountState(domain: Domain, username: string): Promise<{ failures: number; blockedUntil: string | null }> {
    const now = this.clock.now().getTime();
    const count = counted((await this.throttles.read([accountKeyOf(domain.name, username)])).values().next().value);
    const until = blockedUntil(count, domain.loginThrottle.account, now);
    return { failures: count?.failures ?? 0, blockedUntil: until > 0 ? new Date(until).toISOString() : null };
  }

  /**
   * Clears an account's counter (an admin's decision): at once on this instance, within the block
   * cache's 10 s elsewhere. Its known clients stay known.
   */
  clearAccount(domain: string, username: string): Promise<void> {
    const prefix = `client#${domain}#${component(username)}#`;
    for (const key of this.blocks.keys()) if (key.startsWith(prefix)) this.blocks.delete(key);
    return this.throttles.clear([accountKeyOf(domain, username)]);
  }

  private refuseIfCached(now: number, ...keys: string[]): void {
    for (const key of keys) {
      const block = this.blocks.get(key);
      if (block === undefined) continue;
      if (block.until > now && block.recheckAt > now) throw new TooManyAttempts(Math.ceil((block.until - now) / 1000));
      this.blocks.delete(key);
    }
  }

  private refuse(now: number, until: number, key: string): never {
    this.cache(key, until, now);
    throw new TooManyAttempts(Math.ceil((until - now) / 1000));
  }

  private cache(key: string, until: number, now: number): void {
    if (this.blocks.size >= BLOCK_CACHE_SIZE) this.blocks.delete(this.blocks.keys().next().value!);
    this.blocks.set(key, { until, recheckAt: now + BLOCK_CACHE_MS });
  }
}

const accountKeyOf = (domain: string, username: string) => `account#${domain}#${component(username)}`;
const windowMs = (rule: ThrottleRule) => rule.windowSeconds * 1000;
/** Counters outlive their window and the longest wait, then DynamoDB's TTL drops them. */
const expiry = (now: number, rule: ThrottleRule) => now + (rule.windowSeconds + rule.maxWaitSeconds) * 1000;

function counted(entry: ThrottleEntry | undefined) {
  if (entry?.failures === undefined || entry.windowStart === undefined || entry.lastFailureAt === undefined) return undefined;
  return { failures: entry.failures, windowStart: entry.windowStart, lastFailureAt: entry.lastFailureAt };
}
