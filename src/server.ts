import { createServer, type Server } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Logger, ValidationPipe, type LoggerService } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger as PinoLogger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import { AppExceptionFilter } from './common/app-exception.filter.js';
import { isContractRoute } from './common/contract-route.js';
import { isOAuthRoute } from './common/oauth-route.js';
import { installCors } from './common/cors.js';
import { setupOpenApi } from './common/openapi.js';
import { TokenExtractor } from './auth/token-extractor.js';
import { ValidationFailed } from './common/errors.js';
import { markInternal } from './common/internal-only.guard.js';
import { AppConfig } from './config/app-config.js';
import { CorsPolicy } from './domains/cors-policy.js';
import { installRequestContext } from './events/request-context.js';
import { createLogger } from './logging/logger-options.js';
import { REQUEST_ID_HEADER, requestIdOf } from './logging/request-id.js';
import { RequestLogController } from './logging/request-log-controller.js';
import { answerClientError } from './http/client-errors.js';
import { installFormBodyParser } from './http/form-body.js';
import { isPageRoute } from './common/page-route.js';
import { installJsonBodyParser } from './http/json-body.js';
import { installMethodNotAllowed } from './http/method-not-allowed.js';
import { serverTimeouts } from './http/server-timeouts.js';

export interface RunningServer {
  app: NestFastifyApplication;
  publicUrl: string;
  internalUrl: string;
  /** Stops accepting, lets in-flight requests finish, then closes the store clients. */
  close(): Promise<void>;
}

/**
 * How long a shutdown waits for in-flight requests before cutting what is left: below the 30 s
 * an orchestrator (ECS, docker stop with a grace period) gives before SIGKILL, above the slowest
 * request (a store call that retries to its timeouts).
 */
const DRAIN_TIMEOUT_MS = 15_000;

/** Fastify with the body rules of this API. */
export function createAdapter(config: AppConfig): FastifyAdapter {
  const timeouts = serverTimeouts(config);
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    http: timeouts,
    requestTimeout: timeouts.requestTimeout,
    keepAliveTimeout: timeouts.keepAliveTimeout,
    clientErrorHandler: answerClientError,
    // X-Forwarded-For only from the proxies TRUSTED_PROXIES names: anyone can send the header.
    trustProxy: trustFunction(config.trustedProxies),
    // Route parameters up to 256 UTF-16 units (what the router counts; longer ones get 414): the
    // longest username (128 characters, 2 units each at most) must be addressable by the admin API.
    routerOptions: { maxParamLength: 256 },
    // A request that reaches us while draining is served (with `Connection: close`), not refused
    // with a 503: the load balancer stopped sending before SIGTERM, so what still arrives is a
    // kept-alive client's request, and answering it is the graceful thing to do.
    return503OnClosing: false,
    genReqId: requestIdOf,
    // Every request gets `request.log`, a child logger carrying its `reqId`.
    loggerInstance: createLogger(config),
    logController: new RequestLogController(),
    // URL errors the router raises before Nest sees the request: same `{ error, code }` shape.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      reply
        .code(tooLong ? 414 : 400)
        .send(tooLong ? { error: 'URI Too Long', code: 'uri_too_long' } : { error: 'Bad request URL', code: 'bad_url' });
    },
  });
  const fastify = adapter.getInstance();
  installJsonBodyParser(fastify);
  installRequestContext(fastify);
  installFormBodyParser(fastify, (request) => isOAuthRoute(request) || isPageRoute(request));
  // The id every log line of the request carries: callers can quote it, proxies can pass it on.
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  installMethodNotAllowed(fastify);
  return adapter;
}

/** Pipes, errors, CORS and Swagger: everything the app needs before it listens. */
export function configureApp(app: NestFastifyApplication): NestFastifyApplication {
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) =>
        new ValidationFailed(
          errors.flatMap((error) => Object.values(error.constraints ?? { invalid: `${error.property} is invalid` })).join('; '),
        ),
    }),
  );
  app.useGlobalFilters(new AppExceptionFilter(app.get(HttpAdapterHost)));
  const fastify = app.getHttpAdapter().getInstance();
  const cors = app.get(CorsPolicy);
  const tokens = app.get(TokenExtractor);
  const config = app.get(AppConfig);
  installCors(fastify, {
    allowOrigin: (request) => cors.allowOrigin(request.headers.origin, namedDomain(request) ?? tokens.claimedDomain(request.headers)),
    allowHeaders: ['Content-Type', ...config.tokenHeaders, REQUEST_ID_HEADER],
    exposeHeaders: [REQUEST_ID_HEADER],
  });
  // The old clients compare the header string: no charset parameter on the contract routes.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (isContractRoute(request) && String(reply.getHeader('content-type')).startsWith('application/json')) {
      reply.header('content-type', 'application/json');
    }
    // RFC 6749 §5.1: tokens (and the errors about them) are never cached.
    if (isOAuthRoute(request)) reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    done(null, payload);
  });
  setupOpenApi(app, config);
  return app;
}

/**
 * Fastify 5 takes no hop count, so one is a function: the first `n` hops (the socket's peer, then
 * each address X-Forwarded-For adds before it) are proxies. Safe where only the proxy can reach
 * the service (the ALB's security group on Fargate).
 */
function trustFunction(trusted: AppConfig['trustedProxies']): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof trusted === 'number' ? (_address: string, hop: number) => hop < trusted : trusted;
}

/** The domain a request names in its path or body, if any. */
function namedDomain(request: FastifyRequest): string | undefined {
  const named =
    (request.params as { domain?: unknown } | undefined)?.domain ?? (request.body as { domain?: unknown } | null | undefined)?.domain;
  return typeof named === 'string' ? named : undefined;
}

/**
 * The service as `node dist/main.js` runs it: logs through pino (or `logger`, for tests), and on
 * SIGTERM or SIGINT drains both listeners, closes the store clients and exits 0.
 */
export async function startServer(config: AppConfig, logger?: LoggerService): Promise<RunningServer> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createAdapter(config), {
    ...(logger ? { logger } : { bufferLogs: true }), // buffered until pino takes over, just below
    bodyParser: false, // Fastify's parsers only: JSON, and forms on the OAuth routes
  });
  app.useLogger(logger ?? app.get(PinoLogger));
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  return listen(configureApp(app), config);
}

/** Starts the public listener and the internal one (same app, routes marked internal-only). */
export async function listen(app: NestFastifyApplication, config: AppConfig): Promise<RunningServer> {
  const fastify = app.getHttpAdapter().getInstance();
  const internal: Server = createServer(serverTimeouts(config), (request, response) => {
    markInternal(request);
    fastify.routing(request, response);
  });
  internal.on('clientError', answerClientError);
  drainOnClose(fastify, internal);
  await app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    internal.once('error', reject);
    internal.listen(config.internalPort, config.host, () => resolve());
  });
  const publicPort = (fastify.server.address() as { port: number }).port;
  const internalPort = (internal.address() as { port: number }).port;
  new Logger('Server').log(`Public API on port ${publicPort}, internal API on port ${internalPort} (docs at /docs)`);
  return {
    app,
    publicUrl: `http://127.0.0.1:${publicPort}`,
    internalUrl: `http://127.0.0.1:${internalPort}`,
    close: () => app.close(),
  };
}

/**
 * Makes Fastify's close (run by `app.close()`, so by SIGTERM) graceful on both listeners: each stops
 * accepting, finishes its in-flight requests and ends its kept-alive connections; only then does
 * the close resolve and Nest's shutdown hooks close the store clients.
 */
function drainOnClose(fastify: FastifyInstance, internal: Server): void {
  const servers = [fastify.server, internal];
  let draining = false;
  let internalClosed = Promise.resolve();
  // Without `Connection: close`, a client's kept-alive connection would hold the close open until
  // its keep-alive timeout (72 s in Fastify).
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (draining) reply.header('connection', 'close');
    done(null, payload);
  });
  // A response that had started before the drain leaves its connection idle: end it now.
  fastify.addHook('onResponse', (_request, _reply, done) => {
    if (draining) for (const server of servers) server.closeIdleConnections();
    done();
  });
  let deadline: NodeJS.Timeout | undefined;
  // Before Fastify closes the public listener (and waits for its requests): stop the internal one.
  fastify.addHook('preClose', (done) => {
    draining = true;
    internalClosed = new Promise((resolve) => internal.close(() => resolve()));
    internal.closeIdleConnections();
    deadline = setTimeout(() => {
      new Logger('Server').warn(`Requests still running after ${DRAIN_TIMEOUT_MS / 1000} s of draining: closing their connections`);
      for (const server of servers) server.closeAllConnections();
    }, DRAIN_TIMEOUT_MS).unref();
    done();
  });
  // Once the public listener has drained: wait for the internal one too.
  fastify.addHook('onClose', (_instance, done) => {
    void internalClosed.then(() => {
      clearTimeout(deadline);
      done();
    });
  });
}
