import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export interface TableNames {
  domains: string;
  users: string;
  sessions: string;
  /** Login throttle counters and known clients (src/throttling). */
  throttles: string;
  /** OAuth 2.0 clients of each domain (src/clients). */
  clients: string;
  /** The security event trail (src/events). */
  events: string;
}

export const SESSIONS_BY_USER_INDEX = 'by-user';
export const EVENTS_BY_USER_INDEX = 'by-user';
export const EVENTS_BY_TYPE_INDEX = 'by-type';
/** DynamoDB's TTL attribute on every table that expires items (epoch seconds). */
export const TTL_ATTRIBUTE = 'ttl';

export function tableNames(prefix: string): TableNames {
  return {
    domains: `${prefix}domains`,
    users: `${prefix}users`,
    sessions: `${prefix}sessions`,
    throttles: `${prefix}throttles`,
    clients: `${prefix}clients`,
    events: `${prefix}events`,
  };
}

/**
 * The single source of truth for the tables' keys. The CLI's `tables create` uses it, and a test
 * checks the Copilot addons template against it.
 */
export function tableDefinitions(names: TableNames): CreateTableCommandInput[] {
  return [
    {
      TableName: names.domains,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'name', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'name', KeyType: 'HASH' }],
    },
    {
      TableName: names.users,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'domain', AttributeType: 'S' },
        { AttributeName: 'username', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'domain', KeyType: 'HASH' },
        { AttributeName: 'username', KeyType: 'RANGE' },
      ],
    },
    {
      TableName: names.sessions,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'userKey', AttributeType: 'S' },
        { AttributeName: 'createdAt', AttributeType: 'N' },
      ],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: SESSIONS_BY_USER_INDEX,
          KeySchema: [
            { AttributeName: 'userKey', KeyType: 'HASH' },
            { AttributeName: 'createdAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    },
    {
      TableName: names.throttles,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'key', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'key', KeyType: 'HASH' }],
    },
    {
      TableName: names.clients,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'domain', AttributeType: 'S' },
        { AttributeName: 'clientId', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'domain', KeyType: 'HASH' },
        { AttributeName: 'clientId', KeyType: 'RANGE' },
      ],
    },
    {
      TableName: names.events,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'domain', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'userKey', AttributeType: 'S' },
        { AttributeName: 'typeKey', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'domain', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [EVENTS_BY_USER_INDEX, EVENTS_BY_TYPE_INDEX].map((IndexName) => ({
        IndexName,
        KeySchema: [
          { AttributeName: IndexName === EVENTS_BY_USER_INDEX ? 'userKey' : 'typeKey', KeyType: 'HASH' as const },
          { AttributeName: 'sk', KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'ALL' as const },
      })),
    },
  ];
}

/** The tables whose items expire by their TTL attribute. */
export const tablesWithTtl = (names: TableNames): string[] => [names.sessions, names.throttles, names.events];
