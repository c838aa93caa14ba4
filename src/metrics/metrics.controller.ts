import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { InternalRoute } from '../common/internal-route.decorator.js';
import { MetricsService } from './metrics.service.js';

@InternalRoute()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsService) {}

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus metrics (internal port only)',
    description:
      'http_request_duration_seconds{method,route,status_code}, auth_logins_total{result}, auth_refreshes_total{result}, ' +
      'auth_key_rotations_total{result}, auth_store_errors_total{operation} and the process metrics.',
  })
  @ApiProduces(Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOkResponse({ description: 'Prometheus text exposition format', schema: { type: 'string' } })
  @ApiErrors({ 404: 'Not served on the public port' })
  scrape(): Promise<string> {
    return this.metrics.exposition();
  }
}
