import { Module } from '@nestjs/common';
import { DomainsModule } from '../domains/domains.module.js';
import { KeysModule } from '../keys/keys.module.js';
import { KeysController } from './keys.controller.js';
import { RotationService } from './rotation.service.js';

@Module({
  imports: [DomainsModule, KeysModule],
  controllers: [KeysController],
  providers: [RotationService],
  exports: [RotationService],
})
export class RotationModule {}
