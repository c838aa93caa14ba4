import { Injectable } from '@nestjs/common';
import { type Options, hash, verify } from '@node-rs/argon2';
import { AppConfig } from '../config/app-config.js';
import { traced } from '../tracing/traced.js';

// The package types Algorithm as a const enum, which isolated modules cannot read: 2 is Argon2id.
const ARGON2ID = 2 as NonNullable<Options['algorithm']>;

/** The PHC string's algorithm and parameters: `$argon2id$v=19$m=19456,t=2,p=1$salt$hash`. */
const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/;

@Injectable()
export class PasswordHasher {
  private readonly parameters: Options;
  /** What a hashing span says of the work: its cost, never its input or output. */
  private readonly hashSpanAttributes: Record<string, number>;
  private dummyHash?: Promise<string>;

  constructor(config: AppConfig) {
    const { memoryKiB, timeCost, parallelism } = config.argon2;
    this.parameters = { algorithm: ARGON2ID, memoryCost: memoryKiB, timeCost, parallelism };
    this.hashSpanAttributes = { 'argon2.memory_kib': memoryKiB, 'argon2.time_cost': timeCost, 'argon2.parallelism': parallelism };
  }

  hash(password: string): Promise<string> {
    return traced('argon2id hash', this.hashSpanAttributes, () => hash(password, this.parameters));
  }

  /** Constant-time verification. A malformed stored hash counts as a mismatch. */
  verify(passwordHash: string, password: string): Promise<boolean> {
    return traced('argon2id verify', {}, () => verify(passwordHash, password).catch(() => false));
  }

  /**
   * Whether a stored hash is weaker than the configured parameters: not argon2id, or any parameter
   * below its setting. Never a downgrade, so instances on the old and new settings during a deploy
   * do not take turns re-hashing the same password.
   */
  needsRehash(passwordHash: string): boolean {
    const match = PHC.exec(passwordHash);
    if (!match) return true;
    const [memory, time, lanes] = match.slice(1).map(Number);
    const { memoryCost = 0, timeCost = 0, parallelism = 0 } = this.parameters;
    return memory < memoryCost || time < timeCost || lanes < parallelism;
  }

  /**
   * Spends the same work as a real verification, for users that do not exist (or are disabled), so
   * response time does not tell whether a username exists.
   */
  async verifyNothing(password: string): Promise<false> {
    this.dummyHash ??= this.hash('auth-service timing equaliser');
    await this.verify(await this.dummyHash, password);
    return false;
  }
}
