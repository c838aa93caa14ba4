import { DomainKeys, SigningKey } from './signing-key.js';

/** Where each domain's signing keys live: one secret per domain, versions by staging label. */
export abstract class KeyStore {
  /** The domain's key versions, or undefined when the domain has no keys yet. */
  abstract read(domain: string): Promise<DomainKeys | undefined>;
  /** Stores the first key of a domain as its current version; 'exists' if it already has keys. */
  abstract create(domain: string, key: SigningKey): Promise<'created' | 'exists'>;
  /** Throws when the store cannot be reached. */
  abstract ping(): Promise<void>;
}
