import { Domain, DomainSettings, DomainStatus } from './domain.js';

export abstract class DomainsRepository {
  /** `consistent` reads the latest write (for decisions made under the rotation lock). */
  abstract find(name: string, consistent?: boolean): Promise<Domain | undefined>;
  abstract list(): Promise<Domain[]>;
  /** Writes a new domain; false if the name is taken. */
  abstract create(domain: Domain): Promise<boolean>;
  /** Returns the updated domain, or undefined if it does not exist. */
  /**
   * Starts the deletion of a disabled domain (a retry of a deletion that stopped midway too):
   * marks it, so nothing enables it again. Undefined when it does not exist or is not disabled.
   */
  abstract markDeleting(name: string, at: string): Promise<Domain | undefined>;
  /** Removes a domain whose deletion began (its users, sessions, clients and keys are gone); false if there is none. */
  abstract delete(name: string): Promise<boolean>;
  abstract setStatus(name: string, status: DomainStatus, updatedAt: string): Promise<Domain | undefined>;
  /** Changes the given settings; returns the updated domain, or undefined if it does not exist. */
  abstract updateSettings(name: string, settings: Partial<DomainSettings>, updatedAt: string): Promise<Domain | undefined>;
  /**
   * Takes the domain's rotation lock unless another holder's lock is still valid (until `expiresAt`,
   * epoch ms): of two rotations started at once, one gets it. False if taken or no such domain.
   */
  abstract lockRotation(name: string, token: string, now: number, expiresAt: number): Promise<boolean>;
  /** Releases the lock `token` holds, recording `rotatedAt` when the rotation happened. */
  abstract unlockRotation(name: string, token: string, rotatedAt?: string): Promise<void>;
}
