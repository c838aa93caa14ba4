import { Module } from '@nestjs/common';
import { ClientsModule } from '../clients/clients.module.js';
import { DomainsModule } from '../domains/domains.module.js';
import { BrowserSessionsService } from './browser-sessions.service.js';
import { AdminSessionsController } from './admin-sessions.controller.js';
import { DynamoSessionsRepository } from './dynamo-sessions.repository.js';
import { SessionsController } from './sessions.controller.js';
import { SessionsRepository } from './sessions.repository.js';
import { SessionsService } from './sessions.service.js';

@Module({
  imports: [DomainsModule, ClientsModule],
  controllers: [SessionsController, AdminSessionsController],
  providers: [SessionsService, BrowserSessionsService, { provide: SessionsRepository, useClass: DynamoSessionsRepository }],
  exports: [SessionsService, BrowserSessionsService],
})
export class SessionsModule {}
