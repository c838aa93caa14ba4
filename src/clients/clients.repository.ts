import { Client, ClientStatus } from './client.js';

export abstract class ClientsRepository {
  /** Writes a new client; false if its id is taken. */
  abstract create(client: Client): Promise<boolean>;
  /** A strongly consistent read: a disabled or deleted client is refused at once. */
  abstract find(domain: string, clientId: string): Promise<Client | undefined>;
  /** The domain's clients, by one indexed query. */
  abstract listByDomain(domain: string): Promise<Client[]>;
  /** Returns the updated client, or undefined if it does not exist. */
  abstract setStatus(domain: string, clientId: string, status: ClientStatus, updatedAt: string): Promise<Client | undefined>;
  /**
   * Makes `secretHash` the client's secret and its current one the previous, honoured until
   * `previousUntil` (epoch ms); only for a confidential client. Undefined if there is none.
   */
  abstract rotateSecret(
    domain: string,
    clientId: string,
    secretHash: string,
    previousUntil: number,
    updatedAt: string,
  ): Promise<Client | undefined>;
  /** False if it did not exist. */
  abstract delete(domain: string, clientId: string): Promise<boolean>;
}
