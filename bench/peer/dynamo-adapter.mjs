// A DynamoDB adapter for node-oidc-provider (the benchmark's peer), in the shape of the upstream
// contributed "dynamodb-gsi" example: one table keyed by `modelId` = `<Model>:<id>`, the payload as
// a map, `expiresAt` (epoch seconds, the TTL attribute) and one GSI per secondary lookup.
import { CreateTableCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';

const INDEXES = { grantId: 'grantIdIndex', uid: 'uidIndex', userCode: 'userCodeIndex' };

export async function createOidcTable(ddb, table) {
  const indexed = Object.keys(INDEXES);
  try {
    await ddb.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'modelId', AttributeType: 'S' },
          ...indexed.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        ],
        KeySchema: [{ AttributeName: 'modelId', KeyType: 'HASH' }],
        GlobalSecondaryIndexes: indexed.map((name) => ({
          IndexName: INDEXES[name],
          KeySchema: [{ AttributeName: name, KeyType: 'HASH' }],
          Projection: { ProjectionType: name === 'grantId' ? 'KEYS_ONLY' : 'ALL' },
        })),
      }),
    );
  } catch (error) {
    if (error.name !== 'ResourceInUseException') throw error;
  }
  await waitUntilTableExists({ client: ddb, maxWaitTime: 60, minDelay: 1, maxDelay: 2 }, { TableName: table });
}

/** `adapter` option of the provider: a factory, called once per model name. */
export function dynamoAdapter(ddb, table) {
  return (model) => new DynamoAdapter(model, ddb, table);
}

class DynamoAdapter {
  constructor(model, ddb, table) {
    this.model = model;
    this.ddb = ddb;
    this.table = table;
  }

  key(id) {
    return `${this.model}:${id}`;
  }

  async upsert(id, payload, expiresIn) {
    const item = { modelId: this.key(id), payload };
    if (expiresIn) item.expiresAt = Math.floor(Date.now() / 1000) + expiresIn;
    for (const name of Object.keys(INDEXES)) if (typeof payload[name] === 'string') item[name] = payload[name];
    await this.ddb.send(new PutCommand({ TableName: this.table, Item: item }));
  }

  // Consistent, like the service's session read: a consumed refresh token must be seen as consumed.
  async find(id) {
    const { Item } = await this.ddb.send(new GetCommand({ TableName: this.table, Key: { modelId: this.key(id) }, ConsistentRead: true }));
    return live(Item);
  }

  findByUid(uid) {
    return this.findBy('uid', uid);
  }

  findByUserCode(userCode) {
    return this.findBy('userCode', userCode);
  }

  async findBy(attribute, value) {
    const { Items } = await this.ddb.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: INDEXES[attribute],
        KeyConditionExpression: '#a = :v',
        ExpressionAttributeNames: { '#a': attribute },
        ExpressionAttributeValues: { ':v': value },
        Limit: 1,
      }),
    );
    return live(Items?.[0]);
  }

  async consume(id) {
    await this.ddb.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { modelId: this.key(id) },
        UpdateExpression: 'SET payload.#consumed = :at', // "consumed" is a reserved word
        ConditionExpression: 'attribute_exists(modelId)',
        ExpressionAttributeNames: { '#consumed': 'consumed' },
        ExpressionAttributeValues: { ':at': Math.floor(Date.now() / 1000) },
      }),
    );
  }

  async destroy(id) {
    await this.ddb.send(new DeleteCommand({ TableName: this.table, Key: { modelId: this.key(id) } }));
  }

  async revokeByGrantId(grantId) {
    let ExclusiveStartKey;
    do {
      const page = await this.ddb.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: INDEXES.grantId,
          KeyConditionExpression: 'grantId = :g',
          ExpressionAttributeValues: { ':g': grantId },
          ExclusiveStartKey,
        }),
      );
      const keys = (page.Items ?? []).map(({ modelId }) => ({ DeleteRequest: { Key: { modelId } } }));
      for (let i = 0; i < keys.length; i += 25) {
        await this.ddb.send(new BatchWriteCommand({ RequestItems: { [this.table]: keys.slice(i, i + 25) } }));
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }
}

// DynamoDB's TTL deletes lazily (up to days later): an expired item must read as absent.
function live(item) {
  if (!item || (item.expiresAt && item.expiresAt * 1000 < Date.now())) return undefined;
  return item.payload;
}
