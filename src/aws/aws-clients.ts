import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { EmbeddedDynamo, startEmbeddedDynamo } from './embedded-dynamo.js';
import { TableNames, tableNames } from './table-definitions.js';

/** Short timeouts: a store that does not answer must turn into a 503 quickly, not a hung request. */
const REQUEST_HANDLER = { connectionTimeout: 2000, requestTimeout: 5000 };

/** The SDK clients, built once from config. Only adapters under aws/ and the repositories use them. */
export class AwsClients implements OnApplicationShutdown {
  private constructor(
    readonly dynamo: DynamoDBDocumentClient,
    readonly secrets: SecretsManagerClient,
    readonly tables: TableNames,
    private readonly embedded?: EmbeddedDynamo,
  ) {}

  static async create(config: AppConfig): Promise<AwsClients> {
    const logger = new Logger('Storage');
    const tables = tableNames(config.tablePrefix);
    if (config.store === 'embedded') {
      const embedded = await startEmbeddedDynamo(config.dataDir, config.embeddedStorePort);
      logger.log(`Embedded store: DynamoDB-compatible at ${embedded.endpoint}, data and keys under ${config.dataDir}`);
      const credentials = { accessKeyId: 'embedded', secretAccessKey: 'embedded' };
      const dynamo = new DynamoDBClient({
        region: config.aws.region,
        endpoint: embedded.endpoint,
        credentials,
        requestHandler: REQUEST_HANDLER,
      });
      // Never used in embedded mode (keys live in files), but keeps the type total.
      const secrets = new SecretsManagerClient({ region: config.aws.region, endpoint: embedded.endpoint, credentials });
      return new AwsClients(
        DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
        secrets,
        tables,
        embedded,
      );
    }
    logger.log(
      `AWS store: DynamoDB tables ${config.tablePrefix}*, Secrets Manager ${config.secretPrefix}*` +
        (config.aws.endpoint ? ` at ${config.aws.endpoint}` : ` in ${config.aws.region}`),
    );
    const common = { region: config.aws.region, endpoint: config.aws.endpoint, requestHandler: REQUEST_HANDLER, maxAttempts: 3 };
    const dynamo = new DynamoDBClient(common);
    return new AwsClients(
      DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } }),
      new SecretsManagerClient(common),
      tables,
    );
  }

  /** Throws unless DynamoDB answers and the sessions table exists. */
  async pingDynamo(): Promise<void> {
    await this.dynamo.send(new DescribeTableCommand({ TableName: this.tables.sessions }));
  }

  async onApplicationShutdown(): Promise<void> {
    this.dynamo.destroy();
    this.secrets.destroy();
    await this.embedded?.close();
  }
}
