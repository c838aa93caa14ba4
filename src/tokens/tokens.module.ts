import { Module } from '@nestjs/common';
import { DomainsModule } from '../domains/domains.module.js';
import { KeysModule } from '../keys/keys.module.js';
import { WellKnownController } from './well-known.controller.js';
import { TokensService } from './tokens.service.js';

@Module({
  imports: [DomainsModule, KeysModule],
  controllers: [WellKnownController],
  providers: [TokensService],
  exports: [TokensService],
})
export class TokensModule {}
