import { Module } from '@nestjs/common';
import { DomainsModule } from '../domains/domains.module.js';
import { DynamoThrottleRepository } from './dynamo-throttle.repository.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { ThrottleRepository } from './throttle.repository.js';
import { ThrottlingController } from './throttling.controller.js';

/** Login throttling: counters shared by every instance, in the store. */
@Module({
  imports: [DomainsModule],
  controllers: [ThrottlingController],
  providers: [LoginThrottleService, { provide: ThrottleRepository, useClass: DynamoThrottleRepository }],
  exports: [LoginThrottleService],
})
export class ThrottlingModule {}
