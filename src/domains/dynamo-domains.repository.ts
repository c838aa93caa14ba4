import { DeleteCommand, GetCommand, PutCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Injectable } from '@nestjs/common';
import { AwsClients } from '../aws/aws-clients.js';
import { conditionalWrite, storeCall, unlessConditionFails } from '../aws/store-call.js';
import { DEFAULT_SECURITY_SETTINGS, Domain, DomainStatus, type DomainSettings } from './domain.js';
import { DomainsRepository } from './domains.repository.js';

type DomainItem = Domain & { rotationLock?: { token: string; expiresAt: number } };

/** A domain stored before a setting existed has that setting's default. */
const toDomain = ({ rotationLock: _lock, ...domain }: DomainItem): Domain => ({ ...DEFAULT_SECURITY_SETTINGS, ...domain });

@Injectable()
export class DynamoDomainsRepository extends DomainsRepository {
  private readonly table: string;

  constructor(private readonly clients: AwsClients) {
    super();
    this.table = clients.tables.domains;
  }

  find(name: string, consistent = false): Promise<Domain | undefined> {
    return storeCall('GetItem domains', async () => {
      const { Item } = await this.clients.dynamo.send(new GetCommand({ TableName: this.table, Key: { name }, ConsistentRead: consistent }));
      return Item && toDomain(Item as DomainItem);
    });
  }

  list(): Promise<Domain[]> {
    return storeCall('Scan domains', async () => {
      const domains: Domain[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await this.clients.dynamo.send(new ScanCommand({ TableName: this.table, ExclusiveStartKey }));
        domains.push(...((page.Items ?? []) as DomainItem[]).map(toDomain));
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

  /** Enabling a domain whose deletion began would bring back a domain without keys or users: the condition refuses it. */
  setStatus(name: string, status: DomainStatus, updatedAt: string): Promise<Domain | undefined> {
    const command = new UpdateCommand({
      TableName: this.table,
      Key: { name },
      UpdateExpression: 'SET #status = :status, updatedAt = :updatedAt',
      ConditionExpression: status === 'active' ? 'attribute_exists(#name) AND attribute_not_exists(deletingAt)' : 'attribute_exists(#name)',
      ExpressionAttributeNames: { '#status': 'status', '#name': 'name' },
      ExpressionAttributeValues: { ':status': status, ':updatedAt': updatedAt },
      ReturnValues: 'ALL_NEW',
    });
    return this.updated(command);
  }

  markDeleting(name: string, at: string): Promise<Domain | undefined> {
    const command = new UpdateCommand({
      TableName: this.table,
      Key: { name },
      UpdateExpression: 'SET deletingAt = if_not_exists(deletingAt, :at), updatedAt = :at',
      ConditionExpression: '#status = :disabled',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':at': at, ':disabled': 'disabled' },
      ReturnValues: 'ALL_NEW',
    });
    return this.updated(command);
  }

  delete(name: string): Promise<boolean> {
    const command = new DeleteCommand({ TableName: this.table, Key: { name }, ConditionExpression: 'attribute_exists(deletingAt)' });
    return conditionalWrite('DeleteItem domains', () => this.clients.dynamo.send(command));
  }

  updateSettings(name: string, settings: Partial<DomainSettings>, updatedAt: string): Promise<Domain | undefined> {
    const fields = Object.entries({ ...settings, updatedAt }).filter(([, value]) => value !== undefined);
    // `null` removes a setting: the item then reads as one stored before it existed.
    const set = fields.flatMap(([, value], i) => (value === null ? [] : [i]));
    const remove = fields.flatMap(([, value], i) => (value === null ? [i] : []));
    const command = new UpdateCommand({
      TableName: this.table,
      Key: { name },
      UpdateExpression: [
        `SET ${set.map((i) => `#f${i} = :v${i}`).join(', ')}`,
        ...(remove.length > 0 ? [`REMOVE ${remove.map((i) => `#f${i}`).join(', ')}`] : []),
      ].join(' '),
      ConditionExpression: 'attribute_exists(#name)',
      ExpressionAttributeNames: { '#name': 'name', ...Object.fromEntries(fields.map(([field], i) => [`#f${i}`, field])) },
      ExpressionAttributeValues: Object.fromEntries(set.map((i) => [`:v${i}`, fields[i][1]])),
      ReturnValues: 'ALL_NEW',
    });
    return this.updated(command);
  }

  lockRotation(name: string, token: string, now: number, expiresAt: number): Promise<boolean> {
    const command = new UpdateCommand({
      TableName: this.table,
      Key: { name },
      UpdateExpression: 'SET rotationLock = :lock',
      ConditionExpression: 'attribute_exists(#name) AND (attribute_not_exists(rotationLock) OR rotationLock.expiresAt < :now)',
      ExpressionAttributeNames: { '#name': 'name' },
      ExpressionAttributeValues: { ':lock': { token, expiresAt }, ':now': now },
    });
    return conditionalWrite('UpdateItem domains', () => this.clients.dynamo.send(command));
  }

  unlockRotation(name: string, token: string, rotatedAt?: string): Promise<void> {
    const command = new UpdateCommand({
      TableName: this.table,
      Key: { name },
      UpdateExpression: rotatedAt ? 'REMOVE rotationLock SET lastRotatedAt = :at' : 'REMOVE rotationLock',
      ConditionExpression: 'rotationLock.#token = :token',
      ExpressionAttributeNames: { '#token': 'token' },
      ExpressionAttributeValues: { ':token': token, ...(rotatedAt ? { ':at': rotatedAt } : {}) },
    });
    return storeCall('UpdateItem domains', async () => {
      await unlessConditionFails(this.clients.dynamo.send(command), undefined);
    });
  }

  /** The domain as an update left it, or undefined when the update's condition did not hold. */
  private updated(command: UpdateCommand): Promise<Domain | undefined> {
    return storeCall('UpdateItem domains', () =>
      unlessConditionFails(
        this.clients.dynamo.send(command).then((output) => toDomain(output.Attributes as DomainItem)),
        undefined,
      ),
    );
  }
}
