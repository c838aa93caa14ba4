import { Module } from '@nestjs/common';
import { TracingLifecycle } from './tracing-lifecycle.js';

/**
 * OpenTelemetry tracing, started before the app (register-tracing.ts); here only what the running
 * app adds: the startup line and the flush on shutdown.
 */
@Module({ providers: [TracingLifecycle] })
export class TracingModule {}
