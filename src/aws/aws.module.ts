import { Global, Logger, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { AwsClients } from './aws-clients.js';
import { ensureTables } from './ensure-tables.js';

@Global()
@Module({
  providers: [
    {
      provide: AwsClients,
      inject: [AppConfig],
      useFactory: async (config: AppConfig) => {
        const clients = await AwsClients.create(config);
        if (config.createTables) {
          const created = await ensureTables(clients);
          if (created.length > 0) new Logger('Storage').log(`Created tables: ${created.join(', ')}`);
        }
        return clients;
      },
    },
  ],
  exports: [AwsClients],
})
export class AwsModule {}
