import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { EmbeddedDynamo, startEmbeddedDynamo } from './embedded-dynamo.js';
import { guardStoreClient, type StoreLimits } from './store-guard.js';
import { TableNames, tableNames } from './table-definitions.js';

/**
 * Socket-level limits of one attempt, within the whole call's deadline (guardStoreClient):
 * connecting gets at most a second, and a silent socket fails the attempt instead of only logging.
 */
function requestHandler({ timeoutMs }: StoreLimits) {
  return { connectionTimeout: Math.min(1000, timeoutMs), requestTimeout: timeoutMs, throwOnRequestTimeout: true };
}

function documentClient(dynamo: DynamoDBClient, limits: StoreLimits): DynamoDBDocumentClient {
  return guardStoreClient(
    DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true } }),
    'DynamoDB',
    limits,
  );
}

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
        requestHandler: requestHandler(config.storeLimits),
      });
      // Never used in embedded mode (keys live in files), but keeps the type total.
      const secrets = new SecretsManagerClient({ region: config.aws.region, endpoint: embedded.endpoint, credentials });
      return new AwsClients(documentClient(dynamo, config.storeLimits), secrets, tables, embedded);
    }
    logger.log(
      `AWS store: DynamoDB tables ${config.tablePrefix}*, Secrets Manager ${config.secretPrefix}*` +
        (config.aws.endpoint ? ` at ${config.aws.endpoint}` : ` in ${config.aws.region}`),
    );
    const limits = config.storeLimits;
    const common = { region: config.aws.region, endpoint: config.aws.endpoint, requestHandler: requestHandler(limits), maxAttempts: 3 };
    return new AwsClients(
      documentClient(new DynamoDBClient(common), limits),
      guardStoreClient(new SecretsManagerClient(common), 'Secrets Manager', limits),
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
