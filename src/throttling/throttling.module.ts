import { Module } from '@nestjs/common';
import { DynamoThrottleRepository } from './dynamo-throttle.repository.js';
import { LoginThrottleService } from './login-throttle.service.js';
import { ThrottleRepository } from './throttle.repository.js';

/** Login throttling: counters shared by every instance, in the store. */
@Module({
  providers: [LoginThrottleService, { provide: ThrottleRepository, useClass: DynamoThrottleRepository }],
  exports: [LoginThrottleService],
})
export class ThrottlingModule {}
