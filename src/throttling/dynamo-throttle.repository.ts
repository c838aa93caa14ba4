import { BatchGetCommand, DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Injectable } from '@nestjs/common';
import { AwsClients } from '../aws/aws-clients.js';
import { conditionalWrite, storeCall, unlessConditionFails } from '../aws/store-call.js';
import { TTL_ATTRIBUTE } from '../aws/table-definitions.js';
import type { FailureCount } from './throttle-rules.js';
import { ThrottleEntry, ThrottleRepository } from './throttle.repository.js';

type ThrottleItem = ThrottleEntry & { key: string; leaseUntil?: number; [TTL_ATTRIBUTE]: number };

const epochSeconds = (ms: number) => Math.ceil(ms / 1000);

@Injectable()
export class DynamoThrottleRepository extends ThrottleRepository {
  private readonly table: string;

  constructor(private readonly clients: AwsClients) {
    super();
    this.table = clients.tables.throttles;
  }

  read(keys: string[]): Promise<Map<string, ThrottleEntry>> {
    return storeCall('BatchGetItem throttles', async () => {
      const entries = new Map<string, ThrottleEntry>();
      let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
        [this.table]: { Keys: keys.map((key) => ({ key })), ConsistentRead: true },
      };
      // A batch may come back partly unprocessed under load: ask again for the rest.
      for (let round = 0; request && Object.keys(request).length > 0 && round < 5; round++) {
        const output = await this.clients.dynamo.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of (output.Responses?.[this.table] ?? []) as ThrottleItem[]) {
          const { key, leaseUntil: _lease, [TTL_ATTRIBUTE]: _ttl, ...entry } = item;
          entries.set(key, entry);
        }
        request = output.UnprocessedKeys as typeof request;
      }
      if (request && Object.keys(request).length > 0) throw new Error('BatchGetItem left keys unprocessed');
      return entries;
    });
  }

  recordFailure(key: string, now: number, windowMs: number, expiresAt: number): Promise<FailureCount> {
    const ttl = epochSeconds(expiresAt);
    const intoWindow = new UpdateCommand({
      TableName: this.table,
      Key: { key },
      UpdateExpression:
        'ADD failures :one SET lastFailureAt = :now, windowStart = if_not_exists(windowStart, :now), #ttl = :ttl REMOVE leaseUntil',
      // The rule: a failure joins the current window only while that window is young enough.
      ConditionExpression: 'attribute_not_exists(windowStart) OR windowStart > :oldest',
      ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
      ExpressionAttributeValues: { ':one': 1, ':now': now, ':ttl': ttl, ':oldest': now - windowMs },
      ReturnValues: 'ALL_NEW',
    });
    const newWindow = new UpdateCommand({
      TableName: this.table,
      Key: { key },
      UpdateExpression: 'SET failures = :one, windowStart = :now, lastFailureAt = :now, #ttl = :ttl REMOVE leaseUntil',
      // Only over the window that has passed, never over one another instance just started.
      ConditionExpression: 'windowStart <= :oldest',
      ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE },
      ExpressionAttributeValues: { ':one': 1, ':now': now, ':ttl': ttl, ':oldest': now - windowMs },
    });
    return storeCall('UpdateItem throttles', async () => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const updated = await unlessConditionFails(this.clients.dynamo.send(intoWindow), undefined);
        if (updated) return updated.Attributes as FailureCount;
        const fresh = await unlessConditionFails(this.clients.dynamo.send(newWindow), undefined);
        if (fresh) return { failures: 1, windowStart: now, lastFailureAt: now };
      }
      throw new Error('throttle counter kept changing under the update');
    });
  }

  lease(key: string, now: number, until: number): Promise<boolean> {
    const command = new UpdateCommand({
      TableName: this.table,
      Key: { key },
      UpdateExpression: 'SET leaseUntil = :until',
      // The rule: one attempt at a time on a key one failure away from a wait.
      ConditionExpression: 'attribute_not_exists(leaseUntil) OR leaseUntil < :now',
      ExpressionAttributeValues: { ':until': until, ':now': now },
    });
    return conditionalWrite('UpdateItem throttles', () => this.clients.dynamo.send(command));
  }

  clear(keys: string[]): Promise<void> {
    return storeCall('DeleteItem throttles', async () => {
      await Promise.all(keys.map((key) => this.clients.dynamo.send(new DeleteCommand({ TableName: this.table, Key: { key } }))));
    });
  }

  remember(key: string, expiresAt: number): Promise<void> {
    return storeCall('PutItem throttles', async () => {
      await this.clients.dynamo.send(
        new PutCommand({ TableName: this.table, Item: { key, known: true, [TTL_ATTRIBUTE]: epochSeconds(expiresAt) } }),
      );
    });
  }
}
