import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { Injectable } from '@nestjs/common';
import { AwsClients } from '../aws/aws-clients.js';
import { conditionalWrite, storeCall, unlessConditionFails } from '../aws/store-call.js';
import { SESSIONS_BY_USER_INDEX, TTL_ATTRIBUTE } from '../aws/table-definitions.js';
import { consumedSlot } from './refresh-token.js';
import { PresentedCode, PresentedRefreshToken, Session, SessionOwner, UserRef } from './session.js';
import { SessionsRepository } from './sessions.repository.js';

type SessionItem = Omit<Session, 'appSessions'> & {
  userKey: string;
  [TTL_ATTRIBUTE]: number;
  grantedScopes?: Set<string>;
  appSessions?: Set<string>;
};

const userKey = (domain: string, username: string) => `${domain}#${username}`;

/** The item without its index key, TTL, scope set and consumed-refresh-token slots. */
function toSession({ userKey: _key, [TTL_ATTRIBUTE]: _ttl, grantedScopes: _scopes, appSessions, ...item }: SessionItem): Session {
  const fields = Object.fromEntries(Object.entries(item).filter(([name]) => !name.startsWith('consumedRefresh')));
  return { ...fields, ...(appSessions && { appSessions: [...appSessions] }) } as unknown as Session;
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

/** A browser session of `:username`, neither revoked nor over at `:at`. */
const LIVE_BROWSER_SESSION = '#kind = :browser AND username = :username AND attribute_not_exists(revokedAt) AND expiresAt > :at';
/** Room for one more app session: a browser session signs in `:max` at most, then asks for the password again. */
const ROOM_FOR_APPS = '(attribute_not_exists(appSessions) OR size(appSessions) < :max)';

@Injectable()
export class DynamoSessionsRepository extends SessionsRepository {
  private readonly table: string;

  constructor(private readonly clients: AwsClients) {
    super();
    this.table = clients.tables.sessions;
  }

  create({ appSessions: _none, ...session }: Session): Promise<void> {
    const item: SessionItem = {
      ...session,
      userKey: userKey(session.domain, session.username),
      // Let DynamoDB drop it a day after it can no longer be used (a redeemed code's session: after `grantEndsAt`).
      [TTL_ATTRIBUTE]: Math.ceil(Math.max(session.expiresAt, session.grantEndsAt ?? 0) / 1000) + 86_400,
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

  revokeOwned(id: string, { domain, username }: UserRef, at: number): Promise<Session | undefined> {
    return this.updateSession(id, {
      UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at)',
      ConditionExpression: '#domain = :domain AND username = :username',
      ExpressionAttributeNames: { '#domain': 'domain' },
      ExpressionAttributeValues: { ':at': at, ':domain': domain, ':username': username },
    });
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

  linkAppSession(browserSessionId: string, username: string, appSessionId: string, at: number, max: number): Promise<boolean> {
    const command = new UpdateCommand({
      TableName: this.table,
      Key: { id: browserSessionId },
      UpdateExpression: 'ADD appSessions :app',
      ConditionExpression: `${LIVE_BROWSER_SESSION} AND ${ROOM_FOR_APPS}`,
      ExpressionAttributeNames: { '#kind': 'kind' },
      ExpressionAttributeValues: { ':app': new Set([appSessionId]), ':browser': 'browser', ':username': username, ':at': at, ':max': max },
    });
    return conditionalWrite('UpdateItem sessions', () => this.clients.dynamo.send(command));
  }

  reauthenticate(browserSessionId: string, username: string, at: number, max: number): Promise<boolean> {
    const command = new UpdateCommand({
      TableName: this.table,
      Key: { id: browserSessionId },
      UpdateExpression: 'SET authTime = :at',
      ConditionExpression: `${LIVE_BROWSER_SESSION} AND ${ROOM_FOR_APPS}`,
      ExpressionAttributeNames: { '#kind': 'kind' },
      ExpressionAttributeValues: { ':browser': 'browser', ':username': username, ':at': at, ':max': max },
    });
    return conditionalWrite('UpdateItem sessions', () => this.clients.dynamo.send(command));
  }

  redeemCode(presented: PresentedCode, at: number): Promise<Session | undefined> {
    const pkce = presented.codeChallenge === undefined ? 'attribute_not_exists(codeChallenge)' : 'codeChallenge = :challenge';
    return this.updateSession(presented.sessionId, {
      UpdateExpression:
        'SET codeUsedAt = :at, expiresAt = grantEndsAt, refreshHash = :refresh, refreshExpiresAt = :refreshExpiresAt REMOVE grantEndsAt',
      ConditionExpression:
        'codeHash = :code AND #domain = :domain AND #clientId = :client AND redirectUri = :redirectUri AND ' +
        `${pkce} AND attribute_not_exists(codeUsedAt) AND attribute_not_exists(revokedAt) AND expiresAt > :at`,
      ExpressionAttributeNames: OWNER_NAMES,
      ExpressionAttributeValues: {
        ':at': at,
        ':refresh': presented.refreshHash,
        ':refreshExpiresAt': presented.refreshExpiresAt,
        ':code': presented.hash,
        ':domain': presented.domain,
        ':client': presented.clientId,
        ':redirectUri': presented.redirectUri,
        ...(presented.codeChallenge !== undefined && { ':challenge': presented.codeChallenge }),
      },
    });
  }

  revokeForCodeReplay(id: string, codeHash: string, at: number): Promise<Session | undefined> {
    return this.updateSession(id, {
      UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :at), revokedFor = if_not_exists(revokedFor, :reason)',
      ConditionExpression: 'codeHash = :code AND attribute_exists(codeUsedAt)',
      ExpressionAttributeValues: { ':at': at, ':reason': 'code_replay', ':code': codeHash },
    });
  }

  delete(id: string): Promise<boolean> {
    const command = new DeleteCommand({ TableName: this.table, Key: { id }, ConditionExpression: 'attribute_exists(id)' });
    return conditionalWrite('DeleteItem sessions', () => this.clients.dynamo.send(command));
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
