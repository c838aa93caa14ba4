import { Injectable } from '@nestjs/common';
import { type Options, hash, verify } from '@node-rs/argon2';

// The package types Algorithm as a const enum, which isolated modules cannot read: 2 is Argon2id.
const ARGON2ID = 2 as NonNullable<Options['algorithm']>;

/** OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. */
const PARAMETERS: Options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

@Injectable()
export class PasswordHasher {
  private dummyHash?: Promise<string>;

  hash(password: string): Promise<string> {
    return hash(password, PARAMETERS);
  }

  /** Constant-time verification. A malformed stored hash counts as a mismatch. */
  verify(passwordHash: string, password: string): Promise<boolean> {
    return verify(passwordHash, password).catch(() => false);
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
