// A DynamoDB document client configured like the service's (src/aws/aws-clients.ts), so the raw
// store ceilings pay the same SDK costs the service pays.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const REQUEST_HANDLER = { connectionTimeout: 2000, requestTimeout: 5000 };

/** `dynamo` = { region, endpoint, credentials } as prepared by store.mjs. */
export function documentClient(dynamo) {
  const client = new DynamoDBClient({ ...dynamo, requestHandler: REQUEST_HANDLER, maxAttempts: 3 });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}
