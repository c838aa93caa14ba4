import { Module } from '@nestjs/common';
import { KeysModule } from '../keys/keys.module.js';
import { CorsPolicy } from './cors-policy.js';
import { DomainsController } from './domains.controller.js';
import { DomainsRepository } from './domains.repository.js';
import { DomainsService } from './domains.service.js';
import { DynamoDomainsRepository } from './dynamo-domains.repository.js';

@Module({
  imports: [KeysModule],
  controllers: [DomainsController],
  providers: [DomainsService, CorsPolicy, { provide: DomainsRepository, useClass: DynamoDomainsRepository }],
  exports: [DomainsService, CorsPolicy],
})
export class DomainsModule {}
