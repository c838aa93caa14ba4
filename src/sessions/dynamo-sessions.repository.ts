import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Injectable } from '@nestjs/common';
import { AwsClients } from '../aws/aws-clients.js';
import { conditionalWrite, storeCall } from '../aws/store-call.js';
import { SESSIONS_BY_USER_INDEX, TTL_ATTRIBUTE } from '../aws/table-definitions.js';
import { Session, SessionOwner } from './session.js';
import { SessionsRepository } from './sessions.repository.js';

type SessionItem = Session & { userKey: string; [TTL_ATTRIBUTE]: number };

const userKey = (domain: string, username: string) => `${domain}#${username}`;

function toSession({ userKey: _key, [TTL_ATTRIBUTE]: _ttl, ...session }: SessionItem): Session {
  return session;
}

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

  revoke(id: string, at: number): Promise<boolean> {
    const command = new UpdateCommand({
      TableName: this.table,
      Key: { id },
      UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
      ConditionExpression: 'attribute_exists(id)',
      ExpressionAttributeValues: { ':at': at },
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
