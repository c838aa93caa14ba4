import { KeyVersion, SigningKey } from './signing-key.js';

/**
 * Where each domain's signing keys live: one secret per domain, its versions carrying the
 * Secrets Manager staging labels AWSCURRENT, AWSPENDING and AWSPREVIOUS.
 */
export abstract class KeyStore {
  /** The labelled versions of the domain's secret; empty when the domain has no keys. */
  abstract versions(domain: string): Promise<KeyVersion[]>;
  /** Creates the secret with its first version as AWSCURRENT; 'exists' if the domain has keys already. */
  abstract create(domain: string, versionId: string, key: SigningKey): Promise<'created' | 'exists'>;
  /** Stores a version labelled AWSPENDING (the label leaves any other version). Repeating it is a no-op. */
  abstract putPending(domain: string, versionId: string, key: SigningKey): Promise<void>;
  /**
   * Moves AWSCURRENT to `versionId` only if it is still on `currentVersionId` (the old current
   * becomes AWSPREVIOUS, AWSPENDING is cleared). False when another rotation moved it first.
   */
  abstract promote(domain: string, versionId: string, currentVersionId: string): Promise<boolean>;
  /** Deletes the domain's secret, every version at once (the domain is being deleted); none is fine. */
  abstract deleteAll(domain: string): Promise<void>;
  /** Throws when the store cannot be reached. */
  abstract ping(): Promise<void>;
}
