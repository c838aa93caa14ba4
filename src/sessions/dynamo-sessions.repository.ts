import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { Injectable } from '@nestjs/common';
import { AwsClients } from '../aws/aws-clients.js';
import { conditionalWrite, storeCall, unlessConditionFails } from '../aws/store-call.js';
import { SESSIONS_BY_USER_INDEX, TTL_ATTRIBUTE } from '../aws/table-definitions.js';
import { consumedSlot } from './refresh-token.js';
import { PresentedRefreshToken, Session, SessionOwner, UserRef } from './session.js';
import { SessionsRepository } from './sessions.repository.js';

type SessionItem = Session & { userKey: string; [TTL_ATTRIBUTE]: number; grantedScopes?: Set<string> };

const userKey = (domain: string, username: string) => `${domain}#${username}`;

/** The item without its index key, TTL, scope set and consumed-refresh-token slots. */
function toSession({ userKey: _key, [TTL_ATTRIBUTE]: _ttl, grantedScopes: _scopes, ...item }: SessionItem): Session {
  return Object.fromEntries(Object.entries(item).filter(([name]) => !name.startsWith('consumedRefresh'))) as unknown as Session;
}

/** The session an OAuth refresh may use: the client's, alive, its refresh token unexpired, and granted every scope asked for. */
function refreshable(presented: PresentedRefreshToken): { condition: string; values: Record<string, unknown> } {
  const scopes = presented.scopes.map((scope, index) => [`:scope${index}`, scope] as const);
  return {
    condition: [
      '#domain = :domain AND #clientId = :client AND attribute_not_exists(revokedAt) AND expiresAt > :at AND refreshExpiresAt > :at',
      ...scopes.map(([name]) => `contains(grantedScopes, ${name})`),
    ].join(' AND '),
    values: { ':domain': presented.domain, ':client': presented.clientId, ...Object.fromEntries(scopes) },
  };
}

const OWNER_NAMES = { '#domain': 'domain', '#clientId': 'clientId' };

@Injectable()
export class DynamoSessionsRepository extends SessionsRepository {
  private readonly table: string;

  constructor(private readonly clients: AwsClients) {
    super();
    this.table = clients.tables.sessions;
  }

  create(session: Session): Promise<void> {
    const item: SessionItem = {
      ...session,
      userKey: userKey(session.domain, session.username),
      // Let DynamoDB drop it a day after it can no longer be used.
      [TTL_ATTRIBUTE]: Math.ceil(session.expiresAt / 1000) + 86_400,
      // The grant's scope as a string set, so a refresh's condition can state "only narrower".
      ...(session.scope && { grantedScopes: new Set(session.scope.split(' ')) }),
    };
    const command = new PutCommand({ TableName: this.table, Item: item, ConditionExpression: 'attribute_not_exists(id)' });
    return storeCall('PutItem sessions', async () => {
      await this.clients.dynamo.send(command);
    });
  }

  find(id: string): Promise<Session | undefined> {
    return storeCall('GetItem sessions', async () => {
      const { Item } = await this.clients.dynamo.send(new GetCommand({ TableName: this.table, Key: { id }, ConsistentRead: true }));
      return Item ? toSession(Item as SessionItem) : undefined;
    });
  }

  rotateRefreshHash({ id, domain, username }: SessionOwner, expectedHash: string, newHash: string, at: number): Promise<boolean> {
    const command = new UpdateCommand({
      TableName: this.table,
      Key: { id },
      UpdateExpression: 'SET refreshHash = :new, lastRefreshedAt = :at',
      ConditionExpression:
        'refreshHash = :expected AND attribute_not_exists(revokedAt) AND expiresAt > :at AND #domain = :domain AND username = :username',
      ExpressionAttributeNames: { '#domain': 'domain' },
      ExpressionAttributeValues: { ':new': newHash, ':expected': expectedHash, ':at': at, ':domain': domain, ':username': username },
    });
    return conditionalWrite('UpdateItem sessions', () => this.clients.dynamo.send(command));
  }

  revoke(id: string, at: number): Promise<Session | undefined> {
    return this.updateSession(id, {
      UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
      ConditionExpression: 'attribute_exists(id)',
      ExpressionAttributeValues: { ':at': at },
    });
  }

  revokeOwned(id: string, { domain, username }: UserRef, at: number): Promise<boolean> {
    const command = new UpdateCommand({
      TableName: this.table,
      Key: { id },
      UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
      ConditionExpression: '#domain = :domain AND username = :username',
      ExpressionAttributeNames: { '#domain': 'domain' },
      ExpressionAttributeValues: { ':at': at, ':domain': domain, ':username': username },
    });
    return conditionalWrite('UpdateItem sessions', () => this.clients.dynamo.send(command));
  }

  revokeForReuse(id: string, presentedHash: string, at: number, graceFloor: number): Promise<boolean> {
    const command = new UpdateCommand({
      TableName: this.table,
      Key: { id },
      UpdateExpression: 'SET revokedAt = :at, revokedFor = :reason',
      ConditionExpression:
        'attribute_not_exists(revokedAt) AND refreshHash <> :presented AND ' +
        '(lastRefreshedAt < :floor OR (attribute_not_exists(lastRefreshedAt) AND createdAt < :floor))',
      ExpressionAttributeValues: { ':at': at, ':reason': 'refresh_reuse', ':presented': presentedHash, ':floor': graceFloor },
    });
    return conditionalWrite('UpdateItem sessions', () => this.clients.dynamo.send(command));
  }

  rotateClientRefresh(
    presented: PresentedRefreshToken,
    nextHash: string,
    at: number,
    refreshExpiresAt: number,
  ): Promise<Session | undefined> {
    const rule = refreshable(presented);
    return this.updateSession(presented.sessionId, {
      UpdateExpression:
        'SET refreshHash = :next, #slot = :presented, generation = :nextGeneration, lastRefreshedAt = :at, refreshExpiresAt = :refreshExpiresAt',
      ConditionExpression: `refreshHash = :presented AND generation = :generation AND ${rule.condition}`,
      ExpressionAttributeNames: { '#slot': consumedSlot(presented.generation), ...OWNER_NAMES },
      ExpressionAttributeValues: {
        ':next': nextHash,
        ':presented': presented.hash,
        ':generation': presented.generation,
        ':nextGeneration': presented.generation + 1,
        ':at': at,
        ':refreshExpiresAt': refreshExpiresAt,
        ...rule.values,
      },
    });
  }

  replaceLostRefresh(presented: PresentedRefreshToken, nextHash: string, at: number, graceFloor: number): Promise<Session | undefined> {
    const rule = refreshable(presented);
    return this.updateSession(presented.sessionId, {
      UpdateExpression: 'SET refreshHash = :next',
      ConditionExpression: `#slot = :presented AND generation = :nextGeneration AND lastRefreshedAt >= :floor AND ${rule.condition}`,
      ExpressionAttributeNames: { '#slot': consumedSlot(presented.generation), ...OWNER_NAMES },
      ExpressionAttributeValues: {
        ':next': nextHash,
        ':presented': presented.hash,
        ':nextGeneration': presented.generation + 1,
        ':floor': graceFloor,
        ':at': at,
        ...rule.values,
      },
    });
  }

  revokeForConsumedRefresh(presented: PresentedRefreshToken, at: number): Promise<boolean> {
    const command = new UpdateCommand({
      TableName: this.table,
      Key: { id: presented.sessionId },
      UpdateExpression: 'SET revokedAt = :at, revokedFor = :reason',
      ConditionExpression: '#slot = :presented AND attribute_not_exists(revokedAt)',
      ExpressionAttributeNames: { '#slot': consumedSlot(presented.generation) },
      ExpressionAttributeValues: { ':at': at, ':reason': 'refresh_reuse', ':presented': presented.hash },
    });
    return conditionalWrite('UpdateItem sessions', () => this.clients.dynamo.send(command));
  }

  revokeForClient(id: string, owner: { domain: string; clientId: string }, at: number, refreshHash?: string): Promise<boolean> {
    const owned = '#domain = :domain AND #clientId = :client';
    const command = new UpdateCommand({
      TableName: this.table,
      Key: { id },
      UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
      ConditionExpression: refreshHash === undefined ? owned : `${owned} AND refreshHash = :refreshHash`,
      ExpressionAttributeNames: OWNER_NAMES,
      ExpressionAttributeValues: {
        ':at': at,
        ':domain': owner.domain,
        ':client': owner.clientId,
        ...(refreshHash !== undefined && { ':refreshHash': refreshHash }),
      },
    });
    return conditionalWrite('UpdateItem sessions', () => this.clients.dynamo.send(command));
  }

  private updateSession(
    id: string,
    expression: Omit<UpdateCommandInput, 'TableName' | 'Key' | 'ReturnValues'>,
  ): Promise<Session | undefined> {
    const command = new UpdateCommand({ TableName: this.table, Key: { id }, ReturnValues: 'ALL_NEW', ...expression });
    return storeCall('UpdateItem sessions', () =>
      unlessConditionFails(
        this.clients.dynamo.send(command).then((output) => toSession(output.Attributes as SessionItem)),
        undefined,
      ),
    );
  }

  listByUser(domain: string, username: string): Promise<Session[]> {
    return storeCall('Query sessions', async () => {
      const sessions: Session[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await this.clients.dynamo.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: SESSIONS_BY_USER_INDEX,
            KeyConditionExpression: 'userKey = :userKey',
            ExpressionAttributeValues: { ':userKey': userKey(domain, username) },
            ScanIndexForward: false,
            ExclusiveStartKey,
          }),
        );
        sessions.push(...((page.Items ?? []) as SessionItem[]).map(toSession));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return sessions;
    });
  }
}
