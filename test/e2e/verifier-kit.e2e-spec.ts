import { createServer, type Server } from 'node:http';
import { Controller, Get, Module, Req, UseGuards } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import request from 'supertest';
import { expressAuth, fastifyAuth } from '../../src/verify/middleware.js';
import { TokenGuard } from '../../src/verify/nest-guard.js';
import {
  createTokenVerifier,
  type AdapterOptions,
  type TokenVerifier,
  type TokenVerifierOptions,
  type VerifiedClaims,
} from '../../src/verify/verifier.js';
import { bearer, loggedIn, login, PASSWORD } from '../harness/factories.js';
import { registerClient, type RegisteredClient } from '../harness/oauth.js';
import { STORES, startTestApp, TestApp } from '../harness/test-app.js';

type Authenticated = { auth?: VerifiedClaims };

/** What a consumer answers: a legacy token's user, or an access token's subject and client (narrowed on `client_id`). */
function identity(auth: VerifiedClaims | undefined) {
  if (auth?.client_id === undefined) return { user: auth?.username };
  return { sub: auth.sub, client: auth.client_id };
}

/** The routes of every consuming service, each guarded with these adapter options. */
function consumerRoutes(partnerClientId: string): Record<string, AdapterOptions> {
  return {
    '/orders': {},
    '/critical': { checkSession: true },
    '/custom-header': { tokenHeaders: ['X-Token'] },
    '/access-tokens-only': { tokenType: 'at+jwt' },
    '/read': { scopes: ['orders:read'] },
    '/write': { scopes: ['orders:read', 'orders:write'] },
    '/partner': { clientIds: [partnerClientId] },
  };
}

/** Three consuming services, one per adapter of the kit, each serving consumerRoutes. */
async function startConsumers(verifier: TokenVerifier, partnerClientId = 'no-partner') {
  const routes = consumerRoutes(partnerClientId);
  const fastify: FastifyInstance = Fastify();
  for (const [path, options] of Object.entries(routes)) {
    fastify.get(path, { preHandler: fastifyAuth(verifier, options) }, async (req) => identity((req as Authenticated).auth));
  }
  await fastify.listen({ port: 0, host: '127.0.0.1' });

  const middlewares = new Map(Object.entries(routes).map(([path, options]) => [path, expressAuth(verifier, options)]));
  const connect: Server = createServer((req, res) => {
    const middleware = middlewares.get(req.url ?? '');
    if (!middleware) return void res.writeHead(404).end();
    middleware(req, res, () =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(identity((req as Authenticated).auth))),
    );
  });
  await new Promise<void>((resolve) => connect.listen(0, '127.0.0.1', resolve));

  const guard = (path: string) => new TokenGuard(verifier, routes[path]);
  @Controller()
  class OrdersController {
    @Get('orders')
    @UseGuards(guard('/orders'))
    orders(@Req() req: Authenticated) {
      return identity(req.auth);
    }

    @Get('critical')
    @UseGuards(guard('/critical'))
    critical(@Req() req: Authenticated) {
      return identity(req.auth);
    }

    @Get('access-tokens-only')
    @UseGuards(guard('/access-tokens-only'))
    accessTokensOnly(@Req() req: Authenticated) {
      return identity(req.auth);
    }

    @Get('read')
    @UseGuards(guard('/read'))
    read(@Req() req: Authenticated) {
      return identity(req.auth);
    }

    @Get('write')
    @UseGuards(guard('/write'))
    write(@Req() req: Authenticated) {
      return identity(req.auth);
    }

    @Get('partner')
    @UseGuards(guard('/partner'))
    partner(@Req() req: Authenticated) {
      return identity(req.auth);
    }
  }
  @Module({ controllers: [OrdersController] })
  class ConsumerModule {}
  const moduleRef = await Test.createTestingModule({ imports: [ConsumerModule] }).compile();
  const nest = moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false });
  await nest.listen(0, '127.0.0.1');

  return {
    services: {
      fastify: request(fastify.server),
      connect: request(connect),
      nest: request(nest.getHttpServer()),
    },
    close: async () => {
      await fastify.close();
      await new Promise((resolve) => connect.close(resolve));
      await nest.close();
    },
  };
}

/** An access token from the domain's token endpoint, the client authenticating with HTTP Basic. */
async function accessToken(t: TestApp, domain: string, client: RegisteredClient, params: Record<string, string>): Promise<string> {
  const response = await t.api
    .post(`/domains/${domain}/oauth2/token`)
    .auth(client.clientId, client.clientSecret!)
    .type('form')
    .send(params)
    .expect(200);
  return response.body.access_token as string;
}

describe.each(STORES)('verifier kit in consuming services (%s store)', (store) => {
  let t: TestApp;
  let consumers: Awaited<ReturnType<typeof startConsumers>>;
  let domain: string;
  let username: string;
  let token: string;
  /** An app of the domain: its own tokens, and its users' through the password grant. */
  let app: RegisteredClient;
  /** The one client the consumers' `/partner` route accepts. */
  let partner: RegisteredClient;

  const kit = (options: Partial<TokenVerifierOptions> = {}) =>
    createTokenVerifier({ authUrl: t.publicUrl, issuerBaseUrl: t.config.publicUrl, internalUrl: t.internalUrl, domain, ...options });
  const clientToken = (client = app, scope?: string) =>
    accessToken(t, domain, client, { grant_type: 'client_credentials', ...(scope !== undefined && { scope }) });
  const userAccessToken = (scope?: string) =>
    accessToken(t, domain, app, { grant_type: 'password', username, password: PASSWORD, ...(scope !== undefined && { scope }) });
  const revoke = (presented: string) =>
    t.api
      .post(`/domains/${domain}/oauth2/revoke`)
      .auth(app.clientId, app.clientSecret!)
      .type('form')
      .send({ token: presented })
      .expect(200);

  beforeAll(async () => {
    t = await startTestApp(store);
    ({ domain, username, token } = await loggedIn(t));
    app = await registerClient(t, domain, {
      grantTypes: ['client_credentials', 'password', 'refresh_token'],
      scopes: ['orders:read', 'orders:write'],
    });
    partner = await registerClient(t, domain, { grantTypes: ['client_credentials'], scopes: ['orders:read'] });
    consumers = await startConsumers(kit(), partner.clientId);
  });
  afterAll(async () => {
    await consumers.close();
    await t.close();
  });

  describe.each(['fastify', 'connect', 'nest'] as const)('%s', (kind) => {
    it('lets a valid token through with its claims', async () => {
      const service = consumers.services[kind];
      await service.get('/orders').set(bearer(token)).expect(200, { user: username });
      await service.get('/critical').set(bearer(token)).expect(200, { user: username });
    });

    it('reads the old clients’ Authorizationjwt header too', async () => {
      await consumers.services[kind].get('/orders').set('Authorizationjwt', token).expect(200, { user: username });
    });

    it('refuses a missing or invalid token with 401, a code and a Bearer challenge (RFC 6750 §3)', async () => {
      const service = consumers.services[kind];
      const missing = await service.get('/orders').expect(401);
      expect([missing.body.code, missing.headers['www-authenticate']]).toEqual(['missing_token', 'Bearer']);
      const invalid = await service.get('/orders').set(bearer('x.y.z')).expect(401);
      expect([invalid.body.code, invalid.headers['www-authenticate']]).toEqual(['invalid_token', 'Bearer error="invalid_token"']);
    });

    it('refuses an expired token with token_expired', async () => {
      const service = consumers.services[kind];
      // issued 400 s in the past with the default 300 s lifetime: expired by the consumer's real clock
      t.clock.advance(-400);
      const expired = await login(t, domain, username);
      t.clock.advance(400);
      expect((await service.get('/orders').set(bearer(expired)).expect(401)).body.code).toBe('token_expired');
    });

    it("lets a client's own access token and a user's access token through", async () => {
      const service = consumers.services[kind];
      await service
        .get('/orders')
        .set(bearer(await clientToken()))
        .expect(200, { sub: app.clientId, client: app.clientId });
      await service
        .get('/orders')
        .set(bearer(await userAccessToken()))
        .expect(200, { sub: username, client: app.clientId });
    });

    it('refuses a legacy token where only access tokens are accepted, as invalid_token (RFC 9068 §4)', async () => {
      const service = consumers.services[kind];
      const refused = await service.get('/access-tokens-only').set(bearer(token)).expect(401);
      expect([refused.body.code, refused.headers['www-authenticate']]).toEqual(['wrong_token_type', 'Bearer error="invalid_token"']);
      await service
        .get('/access-tokens-only')
        .set(bearer(await clientToken()))
        .expect(200);
    });

    it('answers 403 insufficient_scope, naming the scope the route requires', async () => {
      const service = consumers.services[kind];
      const readOnly = await clientToken(app, 'orders:read');
      await service.get('/read').set(bearer(readOnly)).expect(200);
      const refused = await service.get('/write').set(bearer(readOnly)).expect(403);
      expect([refused.body.code, refused.headers['www-authenticate']]).toEqual([
        'insufficient_scope',
        'Bearer error="insufficient_scope", scope="orders:read orders:write"',
      ]);
      await service
        .get('/write')
        .set(bearer(await userAccessToken('orders:write orders:read')))
        .expect(200);
      // a legacy token carries no scope at all
      expect((await service.get('/read').set(bearer(token)).expect(403)).body.code).toBe('insufficient_scope');
    });

    it('lets only the allowed client through, 403 client_not_allowed for any other token', async () => {
      const service = consumers.services[kind];
      await service
        .get('/partner')
        .set(bearer(await clientToken(partner)))
        .expect(200, { sub: partner.clientId, client: partner.clientId });
      const refused = await service
        .get('/partner')
        .set(bearer(await clientToken(app)))
        .expect(403);
      expect([refused.body.code, refused.headers['www-authenticate']]).toEqual(['client_not_allowed', undefined]);
      expect(
        (
          await service
            .get('/partner')
            .set(bearer(await userAccessToken()))
            .expect(403)
        ).body.code,
      ).toBe('client_not_allowed');
      expect((await service.get('/partner').set(bearer(token)).expect(403)).body.code).toBe('client_not_allowed');
    });

    it("on critical routes, refuses a user's access token once revoked, and a client's own token (no session) with 403", async () => {
      const service = consumers.services[kind];
      const user = await userAccessToken();
      await service.get('/critical').set(bearer(user)).expect(200, { sub: username, client: app.clientId });
      await revoke(user);
      const revoked = await service.get('/critical').set(bearer(user)).expect(401);
      expect([revoked.body.code, revoked.headers['www-authenticate']]).toEqual(['session_revoked', 'Bearer error="invalid_token"']);
      expect(
        (
          await service
            .get('/critical')
            .set(bearer(await clientToken()))
            .expect(403)
        ).body.code,
      ).toBe('no_session');
    });
  });

  describe('RFC 9068 access tokens', () => {
    it("verifies a client's own token: the client is sub and client_id; no session, no domain claim", async () => {
      const claims = await kit().verify(await clientToken());
      expect(claims).toMatchObject({
        iss: `${t.config.publicUrl}/domains/${domain}`,
        aud: domain,
        sub: app.clientId,
        client_id: app.clientId,
        scope: 'orders:read orders:write',
      });
      expect([claims.sid, claims.domain, claims.username]).toEqual([undefined, undefined, undefined]);
    });

    it("verifies a user's password-grant token: the user is sub, with the session as sid", async () => {
      const claims = await kit().verify(await userAccessToken('orders:read'));
      expect(claims).toMatchObject({ sub: username, client_id: app.clientId, scope: 'orders:read', sid: expect.any(String) });
      expect(claims.username).toBeUndefined();
    });

    it('requires a token type when told, per verifier or per call', async () => {
      const own = await clientToken();
      await expect(kit({ tokenType: 'at+jwt' }).verify(token)).rejects.toMatchObject({ code: 'wrong_token_type' });
      await expect(kit().verify(token, { tokenType: 'at+jwt' })).rejects.toMatchObject({ code: 'wrong_token_type' });
      await expect(kit().verify(own, { tokenType: 'legacy' })).rejects.toMatchObject({ code: 'wrong_token_type' });
      await expect(kit({ tokenType: 'at+jwt' }).verify(own)).resolves.toMatchObject({ client_id: app.clientId });
      await expect(kit().verify(token, { tokenType: 'legacy' })).resolves.toMatchObject({ username });
    });

    it("lets a call add to its verifier's requirements, never loosen them", async () => {
      const readers = kit({ scopes: ['orders:read'], clientIds: [app.clientId, partner.clientId] });
      const readOnly = await clientToken(app, 'orders:read');
      await expect(readers.verify(readOnly)).resolves.toMatchObject({ scope: 'orders:read' });
      await expect(readers.verify(readOnly, { scopes: ['orders:write'] })).rejects.toMatchObject({
        code: 'insufficient_scope',
        scope: 'orders:read orders:write',
      });
      await expect(readers.verify(readOnly, { clientIds: partner.clientId })).rejects.toMatchObject({ code: 'client_not_allowed' });
      const partnersOnly = kit({ clientIds: partner.clientId });
      await expect(partnersOnly.verify(readOnly, { clientIds: [app.clientId] })).rejects.toMatchObject({ code: 'client_not_allowed' });
      await expect(kit({ tokenType: 'at+jwt' }).verify(readOnly, { tokenType: 'legacy' })).rejects.toMatchObject({
        code: 'wrong_token_type',
      });
    });

    it("refuses another domain's access token even when its audience names this domain: its keys (and issuer) are another's", async () => {
      const other = await loggedIn(t);
      const foreign = await registerClient(t, other.domain, { audience: domain });
      const foreignToken = await accessToken(t, other.domain, foreign, { grant_type: 'client_credentials' });
      await expect(kit().verify(foreignToken)).rejects.toMatchObject({ code: 'unknown_key' });
    });

    it("on a session check, follows a revocation at the token endpoint's revoke, and refuses a client's own token", async () => {
      const user = await userAccessToken();
      await expect(kit().verify(user, { checkSession: true })).resolves.toMatchObject({ sub: username });
      await revoke(user);
      await expect(kit().verify(user, { checkSession: true })).rejects.toMatchObject({ code: 'session_revoked' });
      // without the check the token stays valid until it expires: stateless verification
      await expect(kit().verify(user)).resolves.toMatchObject({ sub: username });
      await expect(kit().verify(await clientToken(), { checkSession: true })).rejects.toMatchObject({ code: 'no_session' });
    });
  });

  it('reads only the headers it is told to when given tokenHeaders', async () => {
    await consumers.services.fastify.get('/custom-header').set('x-token', `Bearer ${token}`).expect(200, { user: username });
    await consumers.services.fastify.get('/custom-header').set(bearer(token)).expect(401);
  });

  it('on critical routes, asks auth-service whether the session still lives', async () => {
    const session = await loggedIn(t);
    const verifier = createTokenVerifier({
      authUrl: t.publicUrl,
      issuerBaseUrl: t.config.publicUrl,
      internalUrl: t.internalUrl,
      domain: session.domain,
    });
    await verifier.verify(session.token, { checkSession: true });
    await t.api.post('/logout').set(bearer(session.token)).expect(204);
    await expect(verifier.verify(session.token, { checkSession: true })).rejects.toMatchObject({ code: 'session_revoked' });
    // without the check the token stays valid until it expires: stateless verification
    await expect(verifier.verify(session.token)).resolves.toMatchObject({ username: session.username });
  });

  it('answers 401 session_revoked through every adapter after logout', async () => {
    const session = await loggedIn(t);
    const own = await startConsumers(
      createTokenVerifier({ authUrl: t.publicUrl, issuerBaseUrl: t.config.publicUrl, internalUrl: t.internalUrl, domain: session.domain }),
    );
    try {
      await t.api.post('/logout').set(bearer(session.token)).expect(204);
      for (const service of Object.values(own.services)) {
        expect((await service.get('/critical').set(bearer(session.token)).expect(401)).body.code).toBe('session_revoked');
        await service.get('/orders').set(bearer(session.token)).expect(200);
      }
    } finally {
      await own.close();
    }
  });
});
