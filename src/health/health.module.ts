import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { KeysModule } from '../keys/keys.module.js';
import { HealthController } from './health.controller.js';

@Module({
  imports: [TerminusModule, KeysModule],
  controllers: [HealthController],
})
export class HealthModule {}
