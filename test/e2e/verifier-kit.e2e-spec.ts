import { createServer, type Server } from 'node:http';
import { Controller, Get, Module, Req, UseGuards } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import request from 'supertest';
import { expressAuth, fastifyAuth } from '../../src/verify/middleware.js';
import { TokenGuard } from '../../src/verify/nest-guard.js';
import { createTokenVerifier, type TokenVerifier, type VerifiedClaims } from '../../src/verify/verifier.js';
import { bearer, loggedIn, login } from '../harness/factories.js';
import { STORES, startTestApp, TestApp } from '../harness/test-app.js';

type Authenticated = { auth?: VerifiedClaims };

/** Three consuming services, one per adapter of the kit, each with a plain and a critical route. */
async function startConsumers(verifier: TokenVerifier) {
  const fastify: FastifyInstance = Fastify();
  fastify.get('/orders', { preHandler: fastifyAuth(verifier) }, async (req) => ({ user: (req as Authenticated).auth?.username }));
  fastify.get('/critical', { preHandler: fastifyAuth(verifier, { checkSession: true }) }, async (req) => ({
    user: (req as Authenticated).auth?.username,
  }));
  fastify.get('/custom-header', { preHandler: fastifyAuth(verifier, { tokenHeaders: ['X-Token'] }) }, async (req) => ({
    user: (req as Authenticated).auth?.username,
  }));
  await fastify.listen({ port: 0, host: '127.0.0.1' });

  const plain = expressAuth(verifier);
  const critical = expressAuth(verifier, { checkSession: true });
  const connect: Server = createServer((req, res) => {
    const middleware = req.url === '/critical' ? critical : plain;
    middleware(req, res, () =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ user: (req as Authenticated).auth?.username })),
    );
  });
  await new Promise<void>((resolve) => connect.listen(0, '127.0.0.1', resolve));

  @Controller()
  class OrdersController {
    @Get('orders')
    @UseGuards(new TokenGuard(verifier))
    orders(@Req() req: Authenticated) {
      return { user: req.auth?.username };
    }

    @Get('critical')
    @UseGuards(new TokenGuard(verifier, { checkSession: true }))
    critical(@Req() req: Authenticated) {
      return { user: req.auth?.username };
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

describe.each(STORES)('verifier kit in consuming services (%s store)', (store) => {
  let t: TestApp;
  let consumers: Awaited<ReturnType<typeof startConsumers>>;
  let domain: string;
  let username: string;
  let token: string;

  beforeAll(async () => {
    t = await startTestApp(store);
    ({ domain, username, token } = await loggedIn(t));
    consumers = await startConsumers(
      createTokenVerifier({ authUrl: t.publicUrl, issuerBaseUrl: t.config.publicUrl, internalUrl: t.internalUrl, domain }),
    );
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

    it('refuses a missing or invalid token with 401 and a code', async () => {
      const service = consumers.services[kind];
      expect((await service.get('/orders').expect(401)).body.code).toBe('missing_token');
      expect((await service.get('/orders').set(bearer('x.y.z')).expect(401)).body.code).toBe('invalid_token');
    });

    it('refuses an expired token with token_expired', async () => {
      const service = consumers.services[kind];
      // issued 400 s in the past with the default 300 s lifetime: expired by the consumer's real clock
      t.clock.advance(-400);
      const expired = await login(t, domain, username);
      t.clock.advance(400);
      expect((await service.get('/orders').set(bearer(expired)).expect(401)).body.code).toBe('token_expired');
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
