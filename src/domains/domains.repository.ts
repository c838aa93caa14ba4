import { Domain, DomainStatus } from './domain.js';

export abstract class DomainsRepository {
  abstract find(name: string): Promise<Domain | undefined>;
  abstract list(): Promise<Domain[]>;
  /** Writes a new domain; false if the name is taken. */
  abstract create(domain: Domain): Promise<boolean>;
  /** Returns the updated domain, or undefined if it does not exist. */
  abstract setStatus(name: string, status: DomainStatus, updatedAt: string): Promise<Domain | undefined>;
}
