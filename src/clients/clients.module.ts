import { Module } from '@nestjs/common';
import { DomainsModule } from '../domains/domains.module.js';
import { ClientsController } from './clients.controller.js';
import { ClientsRepository } from './clients.repository.js';
import { ClientsService } from './clients.service.js';
import { DynamoClientsRepository } from './dynamo-clients.repository.js';

/**
 * The OAuth 2.0 clients of each domain: the registry the admin API and CLI manage, and the check
 * of a client's credentials. Below sessions (an OAuth session lives while its client is active)
 * and the OAuth endpoints.
 */
@Module({
  imports: [DomainsModule],
  controllers: [ClientsController],
  providers: [ClientsService, { provide: ClientsRepository, useClass: DynamoClientsRepository }],
  exports: [ClientsService],
})
export class ClientsModule {}
