import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { AwsClients } from '../aws/aws-clients.js';
import { KeyStore } from '../keys/key-store.js';

const PROBE_TIMEOUT_MS = 2000;
/** Load balancers probe often; one store round trip per second per instance is plenty. */
const PROBE_CACHE_MS = 1000;

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly clients: AwsClients,
    private readonly keyStore: KeyStore,
  ) {}

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness: the process serves HTTP' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: DynamoDB and the key store answer' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () =>
        this.indicators
          .check('dynamodb')
          .attempt(() => this.clients.pingDynamo())
          .withTimeout(PROBE_TIMEOUT_MS)
          .cacheFor(PROBE_CACHE_MS),
      () =>
        this.indicators
          .check('keyStore')
          .attempt(() => this.keyStore.ping())
          .withTimeout(PROBE_TIMEOUT_MS)
          .cacheFor(PROBE_CACHE_MS),
    ]);
  }
}
