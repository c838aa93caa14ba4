import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { Injectable } from '@nestjs/common';
import { AwsClients } from '../aws/aws-clients.js';
import { conditionalWrite, storeCall, unlessConditionFails } from '../aws/store-call.js';
import { Client, ClientStatus, withDefaults } from './client.js';
import { ClientsRepository } from './clients.repository.js';

@Injectable()
export class DynamoClientsRepository extends ClientsRepository {
  private readonly table: string;

  constructor(private readonly clients: AwsClients) {
    super();
    this.table = clients.tables.clients;
  }

  create(client: Client): Promise<boolean> {
    const command = new PutCommand({ TableName: this.table, Item: client, ConditionExpression: 'attribute_not_exists(clientId)' });
    return conditionalWrite('PutItem clients', () => this.clients.dynamo.send(command));
  }

  find(domain: string, clientId: string): Promise<Client | undefined> {
    return storeCall('GetItem clients', async () => {
      const command = new GetCommand({ TableName: this.table, Key: { domain, clientId }, ConsistentRead: true });
      const { Item } = await this.clients.dynamo.send(command);
      return Item && withDefaults(Item as Client);
    });
  }

  listByDomain(domain: string): Promise<Client[]> {
    return storeCall('Query clients', async () => {
      const clients: Client[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await this.clients.dynamo.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: '#domain = :domain',
            ExpressionAttributeNames: { '#domain': 'domain' },
            ExpressionAttributeValues: { ':domain': domain },
            ExclusiveStartKey,
          }),
        );
        clients.push(...((page.Items ?? []) as Client[]).map(withDefaults));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return clients;
    });
  }

  setStatus(domain: string, clientId: string, status: ClientStatus, updatedAt: string): Promise<Client | undefined> {
    return this.update(domain, clientId, {
      UpdateExpression: 'SET #status = :status, updatedAt = :updatedAt',
      ConditionExpression: 'attribute_exists(clientId)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':status': status, ':updatedAt': updatedAt },
    });
  }

  rotateSecret(
    domain: string,
    clientId: string,
    secretHash: string,
    previousUntil: number,
    updatedAt: string,
  ): Promise<Client | undefined> {
    return this.update(domain, clientId, {
      UpdateExpression:
        'SET previousSecretHash = secretHash, secretHash = :secret, previousSecretExpiresAt = :until, updatedAt = :updatedAt',
      ConditionExpression: 'attribute_exists(clientId) AND #type = :confidential',
      ExpressionAttributeNames: { '#type': 'type' },
      ExpressionAttributeValues: {
        ':secret': secretHash,
        ':until': previousUntil,
        ':updatedAt': updatedAt,
        ':confidential': 'confidential',
      },
    });
  }

  delete(domain: string, clientId: string): Promise<boolean> {
    const command = new DeleteCommand({
      TableName: this.table,
      Key: { domain, clientId },
      ConditionExpression: 'attribute_exists(clientId)',
    });
    return conditionalWrite('DeleteItem clients', () => this.clients.dynamo.send(command));
  }

  private update(
    domain: string,
    clientId: string,
    expression: Omit<UpdateCommandInput, 'TableName' | 'Key' | 'ReturnValues'>,
  ): Promise<Client | undefined> {
    const command = new UpdateCommand({ TableName: this.table, Key: { domain, clientId }, ReturnValues: 'ALL_NEW', ...expression });
    return storeCall('UpdateItem clients', () =>
      unlessConditionFails(
        this.clients.dynamo.send(command).then((output) => withDefaults(output.Attributes as Client)),
        undefined,
      ),
    );
  }
}
