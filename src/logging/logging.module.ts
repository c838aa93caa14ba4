import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config.js';
import { loggerParams } from './logger-options.js';

/** Structured JSON logs through pino; `Logger` from nestjs-pino becomes injectable everywhere. */
@Module({
  imports: [LoggerModule.forRootAsync({ inject: [AppConfig], useFactory: loggerParams })],
})
export class LoggingModule {}
