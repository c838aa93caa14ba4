import { Global, Module } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { HttpMetricsHook } from './http-metrics.hook.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsService } from './metrics.service.js';

/**
 * GET /metrics on the internal port and the MetricsService every module may count with. Each app
 * gets a registry of its own, never prom-client's global one.
 */
@Global()
@Module({
  providers: [
    {
      provide: Registry,
      useFactory: () => {
        const registry = new Registry();
        collectDefaultMetrics({ register: registry });
        return registry;
      },
    },
    MetricsService,
    HttpMetricsHook,
  ],
  controllers: [MetricsController],
  exports: [MetricsService],
})
export class MetricsModule {}
