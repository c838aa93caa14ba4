import { CreateTableCommand, UpdateTimeToLiveCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { AwsClients } from './aws-clients.js';
import { TTL_ATTRIBUTE, tableDefinitions, tablesWithTtl } from './table-definitions.js';

/** Creates the tables that do not exist yet; returns the names it created. Safe to run repeatedly. */
export async function ensureTables(clients: AwsClients): Promise<string[]> {
  const created: string[] = [];
  for (const definition of tableDefinitions(clients.tables)) {
    const TableName = definition.TableName!;
    try {
      await clients.dynamo.send(new CreateTableCommand(definition));
      created.push(TableName);
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
    }
    await waitUntilTableExists({ client: clients.dynamo, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName });
  }
  for (const TableName of tablesWithTtl(clients.tables)) {
    await clients.dynamo
      .send(new UpdateTimeToLiveCommand({ TableName, TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } }))
      .catch(() => undefined); // already enabled, or an emulator without TTL: expiry is checked by the service anyway
  }
  return created;
}
