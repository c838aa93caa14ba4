// 3. GET /sessions/:id/valid (internal port) vs a raw consistent GetItem loop on the same table.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { httpSide, loopSide, measure } from '../lib/measure.mjs';
import { claimsOf } from '../lib/tokens.mjs';

/** Live session ids, from the pool of fresh tokens. */
export async function liveSessionIds(ctx) {
  await ctx.topUpPool(ctx.connections);
  return [...new Set(ctx.refreshPool.map((token) => claimsOf(token).session))];
}

/** Autocannon's request list: each request asks about the next of `ids`, and must hear `{"valid":true}`. */
export function validRequests(ids, problems) {
  let next = 0;
  return [
    {
      method: 'GET',
      setupRequest: (request) => ({ ...request, path: `/sessions/${ids[next++ % ids.length]}/valid` }),
      onResponse(status, body) {
        if (body !== '{"valid":true}' && problems.length < 5) problems.push(`valid -> ${status} ${body}`);
      },
    },
  ];
}

/** The ceiling: as DynamoSessionsRepository.find, plus the liveness test of isSessionAlive. */
export function getItemCeiling({ ddb, tables, connections }, ids) {
  let i = 0;
  const iteration = async () => {
    const key = { id: ids[i++ % ids.length] };
    const { Item } = await ddb.send(new GetCommand({ TableName: tables.sessions, Key: key, ConsistentRead: true }));
    if (!Item || Item.revokedAt !== undefined || Item.expiresAt <= Date.now()) throw new Error(`session ${key.id} not alive`);
  };
  return loopSide({ concurrency: connections, iteration });
}
export const GET_ITEM_CEILING = 'GetItem sessions (ConsistentRead), in-process';

export async function sessionValid(ctx) {
  const ids = await liveSessionIds(ctx);
  const problems = [];
  const measured = await measure(
    {
      service: httpSide({ url: ctx.service.internalUrl, connections: ctx.connections, requests: validRequests(ids, problems) }),
      ceiling: getItemCeiling(ctx, ids),
    },
    ctx.measureOptions,
  );
  return {
    scenario: 'session valid',
    service: measured.service,
    ceiling: { ...measured.ceiling, what: GET_ITEM_CEILING },
    target: 0.85,
    checks: { sessions: ids.length },
    problems,
  };
}
