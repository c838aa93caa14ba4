// 4a. GET /domains/:d/.well-known/jwks.json. Keys come from the service's cache; the one store call
// per request is the domain lookup, so its ceiling is that GetItem. Informational: no target.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { httpSide, loopSide, measure } from '../lib/measure.mjs';

export async function jwks(ctx) {
  const { service, ddb, tables, user, checker, connections } = ctx;
  const expected = JSON.stringify(checker.jwks);
  const problems = [];
  const requests = [
    {
      method: 'GET',
      path: `/domains/${user.domain}/.well-known/jwks.json`,
      onResponse(status, body) {
        if (body !== expected && problems.length < 5) problems.push(`jwks -> ${status} ${body.slice(0, 200)}`);
      },
    },
  ];
  const iteration = async () => {
    const { Item } = await ddb.send(new GetCommand({ TableName: tables.domains, Key: { name: user.domain } }));
    if (Item?.status !== 'active') throw new Error('domain not active');
  };

  const measured = await measure(
    { service: httpSide({ url: service.publicUrl, connections, requests }), ceiling: loopSide({ concurrency: connections, iteration }) },
    ctx.measureOptions,
  );
  return {
    scenario: 'JWKS fetch',
    service: measured.service,
    ceiling: { ...measured.ceiling, what: 'GetItem domains, in-process' },
    target: undefined,
    problems,
  };
}
