import { DynamicModule, Module } from '@nestjs/common';
import { AccountModule } from './account/account.module.js';
import { AuthModule } from './auth/auth.module.js';
import { AwsModule } from './aws/aws.module.js';
import { ClientsModule } from './clients/clients.module.js';
import { CommonModule } from './common/common.module.js';
import { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { DomainsModule } from './domains/domains.module.js';
import { EventsModule } from './events/events.module.js';
import { HealthModule } from './health/health.module.js';
import { LoggingModule } from './logging/logging.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { OAuthModule } from './oauth/oauth.module.js';
import { LoginPageModule } from './login-page/login-page.module.js';
import { DomainDeletionModule } from './domain-deletion/domain-deletion.module.js';
import { RotationModule } from './rotation/rotation.module.js';
import { SessionsModule } from './sessions/sessions.module.js';
import { TokensModule } from './tokens/tokens.module.js';
import { TracingModule } from './tracing/tracing.module.js';
import { UsersModule } from './users/users.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        TracingModule,
        MetricsModule,
        CommonModule,
        EventsModule,
        AwsModule,
        DomainsModule,
        UsersModule,
        ClientsModule,
        SessionsModule,
        TokensModule,
        AuthModule,
        AccountModule,
        OAuthModule,
        LoginPageModule,
        DomainDeletionModule,
        RotationModule,
        HealthModule,
      ],
    };
  }
}
