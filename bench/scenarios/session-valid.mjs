// 3. GET /sessions/:id/valid (internal port) vs a raw consistent GetItem loop on the same table.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { httpSide, loopSide, measure } from '../lib/measure.mjs';
import { claimsOf } from '../lib/tokens.mjs';

export async function sessionValid(ctx) {
  const { service, ddb, tables, connections } = ctx;
  await ctx.topUpPool(connections);
  const ids = [...new Set(ctx.refreshPool.map((token) => claimsOf(token).session))];
  const problems = [];
  let next = 0;
  const requests = [
    {
      method: 'GET',
      setupRequest: (request) => ({ ...request, path: `/sessions/${ids[next++ % ids.length]}/valid` }),
      onResponse(status, body) {
        if (body !== '{"valid":true}' && problems.length < 5) problems.push(`valid -> ${status} ${body}`);
      },
    },
  ];
  let i = 0;
  const iteration = async () => {
    // As DynamoSessionsRepository.find, plus the liveness test of isSessionAlive.
    const key = { id: ids[i++ % ids.length] };
    const { Item } = await ddb.send(new GetCommand({ TableName: tables.sessions, Key: key, ConsistentRead: true }));
    if (!Item || Item.revokedAt !== undefined || Item.expiresAt <= Date.now()) throw new Error(`session ${key.id} not alive`);
  };

  const measured = await measure(
    { service: httpSide({ url: service.internalUrl, connections, requests }), ceiling: loopSide({ concurrency: connections, iteration }) },
    ctx.measureOptions,
  );
  return {
    scenario: 'session valid',
    service: measured.service,
    ceiling: { ...measured.ceiling, what: 'GetItem sessions (ConsistentRead), in-process' },
    target: 0.85,
    checks: { sessions: ids.length },
    problems,
  };
}
