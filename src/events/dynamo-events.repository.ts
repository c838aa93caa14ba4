import { PutCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { Injectable } from '@nestjs/common';
import { AwsClients } from '../aws/aws-clients.js';
import { storeCall } from '../aws/store-call.js';
import { EVENTS_BY_TYPE_INDEX, EVENTS_BY_USER_INDEX, TTL_ATTRIBUTE } from '../aws/table-definitions.js';
import { ValidationFailed } from '../common/errors.js';
import { EventPage, EventQuery, EventsRepository } from './events.repository.js';
import { SecurityEvent } from './security-event.js';

type EventItem = SecurityEvent & { sk: string; userKey?: string; typeKey: string; [TTL_ATTRIBUTE]: number };
type Key = Record<string, string>;

/** Epoch ms as 13 digits (up to the year 2286), so they sort as text. */
const LATEST = 9_999_999_999_999;
const digits = (ms: number) => String(Math.min(Math.max(ms, 0), LATEST)).padStart(13, '0');
/** Sorts by time, then id: `<epoch ms, 13 digits>#<id>`. */
const sortKey = (at: string, id: string) => `${digits(Date.parse(at))}#${id}`;

function toEvent({ sk: _sk, userKey: _user, typeKey: _type, [TTL_ATTRIBUTE]: _ttl, ...event }: EventItem): SecurityEvent {
  return event;
}

/**
 * Events keyed by domain and time (newest first by sort key), with an index per user and per type
 * of each domain: every question the API asks is one indexed query.
 */
@Injectable()
export class DynamoEventsRepository extends EventsRepository {
  private readonly table: string;

  constructor(private readonly clients: AwsClients) {
    super();
    this.table = clients.tables.events;
  }

  put(event: SecurityEvent, expiresAt: number): Promise<void> {
    const item: EventItem = {
      ...event,
      sk: sortKey(event.at, event.id),
      typeKey: `${event.domain}#${event.type}`,
      ...(event.username !== undefined && { userKey: `${event.domain}#${event.username}` }),
      [TTL_ATTRIBUTE]: expiresAt,
    };
    return storeCall('PutItem events', async () => {
      await this.clients.dynamo.send(new PutCommand({ TableName: this.table, Item: item }));
    });
  }

  query(query: EventQuery): Promise<EventPage> {
    const [indexName, keyName, keyValue] = query.username
      ? [EVENTS_BY_USER_INDEX, 'userKey', `${query.domain}#${query.username}`]
      : query.type
        ? [EVENTS_BY_TYPE_INDEX, 'typeKey', `${query.domain}#${query.type}`]
        : [undefined, 'domain', query.domain];
    // By user and type: the user's index, filtered (a filter on a query reads only that user's events).
    const filtered = query.username !== undefined && query.type !== undefined;
    const from = digits(query.since === undefined ? 0 : Date.parse(query.since));
    const to = digits(query.until === undefined ? LATEST : Date.parse(query.until));
    if (from > to) return Promise.resolve({ events: [] });
    const input: QueryCommandInput = {
      TableName: this.table,
      ...(indexName && { IndexName: indexName }),
      KeyConditionExpression: '#key = :key AND sk BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#key': keyName, ...(filtered && { '#type': 'type' }) },
      ExpressionAttributeValues: {
        ':key': keyValue,
        ':from': from,
        ':to': `${to}#~`,
        ...(filtered && { ':type': query.type }),
      },
      ...(filtered && { FilterExpression: '#type = :type' }),
      ScanIndexForward: false,
    };
    let start = query.cursor === undefined ? undefined : decodeCursor(query.cursor, keyName, keyValue);
    return storeCall('Query events', async () => {
      const events: SecurityEvent[] = [];
      do {
        const page = await this.clients.dynamo.send(
          new QueryCommand({ ...input, Limit: query.limit - events.length, ExclusiveStartKey: start }),
        );
        events.push(...((page.Items ?? []) as EventItem[]).map(toEvent));
        start = page.LastEvaluatedKey as Key | undefined;
      } while (start && events.length < query.limit);
      return { events, ...(start && { cursor: encodeCursor(start) }) };
    });
  }
}

const encodeCursor = (key: Key) => Buffer.from(JSON.stringify(key)).toString('base64url');

/** A cursor is a page's last key; one made for another query (another domain, user or type) is refused. */
function decodeCursor(cursor: string, keyName: string, keyValue: string): Key {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  const names = new Set(['domain', 'sk', 'userKey', 'typeKey']);
  const wellFormed =
    typeof key === 'object' &&
    key !== null &&
    !Array.isArray(key) &&
    Object.entries(key).every(([name, value]) => names.has(name) && typeof value === 'string') &&
    (key as Key)[keyName] === keyValue &&
    typeof (key as Key).sk === 'string';
  if (!wellFormed) throw new ValidationFailed('cursor is not one this query gave');
  return key as Key;
}
