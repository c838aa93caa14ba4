import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module.js';
import { DomainsModule } from '../domains/domains.module.js';
import { KeysModule } from '../keys/keys.module.js';
import { UsersModule } from '../users/users.module.js';
import { DomainDeletionController } from './domain-deletion.controller.js';
import { DomainDeletionService } from './domain-deletion.service.js';

/** A domain's deletion: above every module that holds something of a domain. */
@Module({
  imports: [DomainsModule, UsersModule, ClientsModule, KeysModule],
  controllers: [DomainDeletionController],
  providers: [DomainDeletionService],
  exports: [DomainDeletionService],
})
export class DomainDeletionModule {}
