// 10. POST /domains/:d/oauth2/introspect (RFC 7662), what a resource server calls per request when
// it does not verify tokens itself, vs its raw work in process: verify the RFC 9068 access token,
// then, at once, a consistent GetItem of its client and of its session.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { httpSide, loopSide, measure } from '../lib/measure.mjs';
import { OAUTH_SCOPE, postToken, serviceOAuth, tokenRequest } from '../lib/oauth.mjs';

export async function introspection(ctx) {
  const oauth = await serviceOAuth(ctx);
  const { user, service } = ctx;
  // Introspection consumes nothing: the same live user tokens serve every request.
  const grant = { grant_type: 'password', username: user.username, password: user.password, scope: OAUTH_SCOPE };
  const tokens = [];
  for (let i = 0; i < ctx.connections; i++) {
    const { status, body } = await postToken(service.publicUrl, tokenRequest(oauth.path, oauth.authorization, grant));
    if (status !== 200) throw new Error(`password grant -> ${status} ${JSON.stringify(body)}`);
    tokens.push(body.access_token);
  }
  const path = `/domains/${user.domain}/oauth2/introspect`;
  const problems = [];
  let next = 0;
  const requests = [
    {
      setupRequest: (request) => ({ ...request, ...tokenRequest(path, oauth.authorization, { token: tokens[next++ % tokens.length] }) }),
      onResponse(status, body) {
        const active = status === 200 && JSON.parse(body).active === true;
        if (!active && problems.length < 5) problems.push(`introspect -> ${status} ${body}`);
      },
    },
  ];
  let i = 0;
  const ceiling = loopSide({
    concurrency: ctx.connections,
    iteration: async () => {
      const claims = await oauth.verifyUserToken(tokens[i++ % tokens.length]);
      const [{ Item: client }, { Item: session }] = await Promise.all([
        ctx.ddb.send(
          new GetCommand({ TableName: ctx.tables.clients, Key: { domain: user.domain, clientId: claims.client_id }, ConsistentRead: true }),
        ),
        ctx.ddb.send(new GetCommand({ TableName: ctx.tables.sessions, Key: { id: claims.sid }, ConsistentRead: true })),
      ]);
      if (client?.status !== 'active' || !session || session.revokedAt !== undefined) throw new Error(`token of ${claims.sid} not active`);
    },
  });
  const measured = await measure(
    { service: httpSide({ url: service.publicUrl, connections: ctx.connections, requests }), ceiling },
    ctx.measureOptions,
  );
  return {
    scenario: 'oauth introspection',
    service: measured.service,
    ceiling: { ...measured.ceiling, what: 'RFC 9068 verify + GetItem clients and sessions at once (ConsistentRead), in-process' },
    target: 0.8,
    checks: { tokens: tokens.length },
    problems,
  };
}
