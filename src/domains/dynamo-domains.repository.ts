import { GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Injectable } from '@nestjs/common';
import { AwsClients } from '../aws/aws-clients.js';
import { storeCall, unlessConditionFails } from '../aws/store-call.js';
import { Domain, DomainStatus } from './domain.js';
import { DomainsRepository } from './domains.repository.js';

@Injectable()
export class DynamoDomainsRepository extends DomainsRepository {
  private readonly table: string;

  constructor(private readonly clients: AwsClients) {
    super();
    this.table = clients.tables.domains;
  }

  find(name: string): Promise<Domain | undefined> {
    return storeCall('GetItem domains', async () => {
      const { Item } = await this.clients.dynamo.send(new GetCommand({ TableName: this.table, Key: { name } }));
      return Item as Domain | undefined;
    });
  }

  list(): Promise<Domain[]> {
    return storeCall('Scan domains', async () => {
      const domains: Domain[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await this.clients.dynamo.send(new ScanCommand({ TableName: this.table, ExclusiveStartKey }));
        domains.push(...((page.Items ?? []) as Domain[]));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return domains.sort((a, b) => a.name.localeCompare(b.name));
    });
  }

  create(domain: Domain): Promise<boolean> {
    return storeCall('PutItem domains', () =>
      unlessConditionFails(
        this.clients.dynamo
          .send(
            new PutCommand({
              TableName: this.table,
              Item: domain,
              ConditionExpression: 'attribute_not_exists(#name)',
              ExpressionAttributeNames: { '#name': 'name' },
            }),
          )
          .then(() => true),
        false,
      ),
    );
  }

  setStatus(name: string, status: DomainStatus, updatedAt: string): Promise<Domain | undefined> {
    const command = new UpdateCommand({
      TableName: this.table,
      Key: { name },
      UpdateExpression: 'SET #status = :status, updatedAt = :updatedAt',
      ConditionExpression: 'attribute_exists(#name)',
      ExpressionAttributeNames: { '#status': 'status', '#name': 'name' },
      ExpressionAttributeValues: { ':status': status, ':updatedAt': updatedAt },
      ReturnValues: 'ALL_NEW',
    });
    return storeCall('UpdateItem domains', () =>
      unlessConditionFails(
        this.clients.dynamo.send(command).then((output) => output.Attributes as Domain),
        undefined,
      ),
    );
  }
}
