// 6. GET /auth (forward auth for reverse proxies) vs its raw work in process: verify the token
// against the domain's keys, then a consistent GetItem of its session.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { httpSide, loopSide, measure } from '../lib/measure.mjs';

export async function forwardAuth(ctx) {
  await ctx.topUpPool(ctx.connections);
  // /auth consumes nothing: the same live tokens serve every request.
  const tokens = ctx.refreshPool.slice(0, ctx.connections);
  const problems = [];
  let next = 0;
  const requests = [
    {
      method: 'GET',
      setupRequest: (request) => ({ ...request, path: '/auth', headers: { authorizationjwt: tokens[next++ % tokens.length] } }),
      onResponse(status, body) {
        if (status !== 200 && problems.length < 5) problems.push(`auth -> ${status} ${body}`);
      },
    },
  ];
  let i = 0;
  const ceiling = loopSide({
    concurrency: ctx.connections,
    iteration: async () => {
      const claims = await ctx.checker.verify(tokens[i++ % tokens.length]);
      const { Item } = await ctx.ddb.send(
        new GetCommand({ TableName: ctx.tables.sessions, Key: { id: claims.session }, ConsistentRead: true }),
      );
      if (!Item || Item.revokedAt !== undefined || Item.expiresAt <= Date.now()) throw new Error(`session ${claims.session} not alive`);
    },
  });
  const measured = await measure(
    { service: httpSide({ url: ctx.service.publicUrl, connections: ctx.connections, requests }), ceiling },
    ctx.measureOptions,
  );
  return {
    scenario: 'forward auth',
    service: measured.service,
    ceiling: { ...measured.ceiling, what: 'jose verify + GetItem sessions (ConsistentRead), in-process' },
    target: 0.8,
    checks: { tokens: tokens.length },
    problems,
  };
}
