import { DynamicModule, Module } from '@nestjs/common';
import { AwsModule } from '../aws/aws.module.js';
import { CommonModule } from '../common/common.module.js';
import { AppConfig } from '../config/app-config.js';
import { ConfigModule } from '../config/config.module.js';
import { DomainDeletionModule } from '../domain-deletion/domain-deletion.module.js';
import { DomainsModule } from '../domains/domains.module.js';
import { EventsModule } from '../events/events.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { ClientsModule } from '../clients/clients.module.js';
import { RotationModule } from '../rotation/rotation.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { ThrottlingModule } from '../throttling/throttling.module.js';
import { TracingModule } from '../tracing/tracing.module.js';
import { UsersModule } from '../users/users.module.js';

/** The services the operator CLI drives: the same ones the HTTP API uses, without HTTP. */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        CommonModule,
        MetricsModule, // counted, never scraped: the services count what they do wherever they run
        AwsModule,
        DomainsModule,
        UsersModule,
        SessionsModule,
        RotationModule,
        ThrottlingModule,
        ClientsModule,
        EventsModule,
        DomainDeletionModule,
        TracingModule, // the spans of a command (the rotate-keys job's) go out before it exits
      ],
    };
  }
}
