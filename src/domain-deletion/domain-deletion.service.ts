import { Injectable, Logger } from '@nestjs/common';
import { ClientsService } from '../clients/clients.service.js';
import { DomainsService } from '../domains/domains.service.js';
import { EventsService } from '../events/events.service.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { UsersService } from '../users/users.service.js';

/**
 * Deletes a domain and everything of it: users and their sessions, OAuth clients, signing keys,
 * then the domain itself. Only a disabled domain (nobody signs in while it goes), marked first so
 * nothing enables it again; each step is idempotent, so a deletion a fault stopped is finished by
 * asking again. Its security events stay until their retention ends: the trail outlives what it is about.
 */
@Injectable()
export class DomainDeletionService {
  private readonly logger = new Logger(DomainDeletionService.name);

  constructor(
    private readonly domains: DomainsService,
    private readonly users: UsersService,
    private readonly clients: ClientsService,
    private readonly keys: SigningKeysService,
    private readonly events: EventsService,
  ) {}

  async delete(name: string): Promise<void> {
    await this.domains.beginDeletion(name);
    const users = await this.users.deleteAllOf(name);
    await this.clients.deleteAllOf(name);
    await this.keys.deleteAll(name);
    await this.domains.finishDeletion(name);
    this.events.record({ type: 'domain_deleted', domain: name, actor: 'admin' });
    this.logger.log(`Domain ${name} deleted (${users} users)`);
  }
}
