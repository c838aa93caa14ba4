// 4a. GET /domains/:d/.well-known/jwks.json. Keys come from the service's cache; the one store call
// per request is the domain lookup, so its ceiling is that GetItem. Informational: no target.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { drive, loop } from '../lib/measure.mjs';

export async function jwks(ctx) {
  const { service, ddb, tables, user, checker, options } = ctx;
  const expected = JSON.stringify(checker.jwks);
  const path = `/domains/${user.domain}/.well-known/jwks.json`;
  const problems = [];
  const result = await drive({
    url: service.publicUrl,
    ...options,
    requests: [
      {
        method: 'GET',
        path,
        onResponse(status, body) {
          if (body !== expected && problems.length < 5) problems.push(`jwks -> ${status} ${body.slice(0, 200)}`);
        },
      },
    ],
  });
  const ceiling = await loop({
    ...ctx.loopOptions,
    iteration: async () => {
      const { Item } = await ddb.send(new GetCommand({ TableName: tables.domains, Key: { name: user.domain } }));
      if (Item?.status !== 'active') throw new Error('domain not active');
    },
  });
  return {
    scenario: 'JWKS fetch',
    service: result,
    ceiling: { ...ceiling, what: 'GetItem domains, in-process' },
    target: undefined,
    problems,
  };
}
