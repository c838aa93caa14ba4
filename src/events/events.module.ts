import { Global, Module } from '@nestjs/common';
import { DynamoEventsRepository } from './dynamo-events.repository.js';
import { EventsController } from './events.controller.js';
import { EventsRepository } from './events.repository.js';
import { EventsService } from './events.service.js';

/** The security event trail: every module records through EventsService; admins read it. */
@Global()
@Module({
  controllers: [EventsController],
  providers: [EventsService, { provide: EventsRepository, useClass: DynamoEventsRepository }],
  exports: [EventsService],
})
export class EventsModule {}
