import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Injectable } from '@nestjs/common';
import { AwsClients } from '../aws/aws-clients.js';
import { conditionalWrite, storeCall, unlessConditionFails } from '../aws/store-call.js';
import { User } from './user.js';
import { UsersRepository } from './users.repository.js';

@Injectable()
export class DynamoUsersRepository extends UsersRepository {
  private readonly table: string;

  constructor(private readonly clients: AwsClients) {
    super();
    this.table = clients.tables.users;
  }

  find(domain: string, username: string): Promise<User | undefined> {
    return storeCall('GetItem users', async () => {
      const { Item } = await this.clients.dynamo.send(new GetCommand({ TableName: this.table, Key: { domain, username } }));
      return Item as User | undefined;
    });
  }

  create(user: User): Promise<boolean> {
    const command = new PutCommand({ TableName: this.table, Item: user, ConditionExpression: 'attribute_not_exists(username)' });
    return conditionalWrite('PutItem users', () => this.clients.dynamo.send(command));
  }

  update(
    domain: string,
    username: string,
    changes: Partial<Pick<User, 'passwordHash' | 'status'>> & { updatedAt: string },
  ): Promise<User | undefined> {
    const entries = Object.entries(changes).filter(([, value]) => value !== undefined);
    const command = new UpdateCommand({
      TableName: this.table,
      Key: { domain, username },
      UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
      ConditionExpression: 'attribute_exists(username)',
      ExpressionAttributeNames: Object.fromEntries(entries.map(([name], i) => [`#f${i}`, name])),
      ExpressionAttributeValues: Object.fromEntries(entries.map(([, value], i) => [`:v${i}`, value])),
      ReturnValues: 'ALL_NEW',
    });
    return storeCall('UpdateItem users', () =>
      unlessConditionFails(
        this.clients.dynamo.send(command).then((output) => output.Attributes as User),
        undefined,
      ),
    );
  }

  upgradePasswordHash(domain: string, username: string, from: string, to: string, updatedAt: string): Promise<boolean> {
    const command = new UpdateCommand({
      TableName: this.table,
      Key: { domain, username },
      UpdateExpression: 'SET passwordHash = :to, updatedAt = :updatedAt',
      ConditionExpression: 'passwordHash = :from',
      ExpressionAttributeValues: { ':from': from, ':to': to, ':updatedAt': updatedAt },
    });
    return conditionalWrite('UpdateItem users', () => this.clients.dynamo.send(command));
  }

  changePasswordHash(domain: string, username: string, from: string, to: string, updatedAt: string): Promise<boolean> {
    const command = new UpdateCommand({
      TableName: this.table,
      Key: { domain, username },
      UpdateExpression: 'SET passwordHash = :to, updatedAt = :updatedAt',
      ConditionExpression: 'passwordHash = :from AND #status = :active',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':from': from, ':to': to, ':updatedAt': updatedAt, ':active': 'active' },
    });
    return conditionalWrite('UpdateItem users', () => this.clients.dynamo.send(command));
  }

  async *listUsernames(domain: string): AsyncIterable<string[]> {
    let ExclusiveStartKey: Record<string, unknown> | undefined;
    do {
      const command = new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: '#domain = :domain',
        ProjectionExpression: 'username',
        ExpressionAttributeNames: { '#domain': 'domain' },
        ExpressionAttributeValues: { ':domain': domain },
        ExclusiveStartKey,
      });
      const page = await storeCall('Query users', () => this.clients.dynamo.send(command));
      yield (page.Items ?? []).map((item) => item.username as string);
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
  }

  delete(domain: string, username: string): Promise<boolean> {
    const command = new DeleteCommand({
      TableName: this.table,
      Key: { domain, username },
      ConditionExpression: 'attribute_exists(username)',
    });
    return conditionalWrite('DeleteItem users', () => this.clients.dynamo.send(command));
  }
}
