import { createServer, type Server } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Logger, ValidationPipe, type LoggerService, type LogLevel } from '@nestjs/common';
import { HttpAdapterHost, NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import { AppExceptionFilter } from './common/app-exception.filter.js';
import { ValidationFailed } from './common/errors.js';
import { markInternal } from './common/internal-only.guard.js';
import { AppConfig } from './config/app-config.js';
import { CorsPolicy } from './domains/cors-policy.js';

export interface RunningServer {
  app: NestFastifyApplication;
  publicUrl: string;
  internalUrl: string;
  /** Stops accepting, lets in-flight requests finish, then closes the store clients. */
  close(): Promise<void>;
}

const NEST_LOG_LEVELS: Record<AppConfig['logLevel'], LogLevel[]> = {
  trace: ['verbose', 'debug', 'log', 'warn', 'error', 'fatal'],
  debug: ['debug', 'log', 'warn', 'error', 'fatal'],
  info: ['log', 'warn', 'error', 'fatal'],
  warn: ['warn', 'error', 'fatal'],
  error: ['error', 'fatal'],
  fatal: ['fatal'],
  silent: [],
};

/** Fastify with the body rules of this API. */
export function createAdapter(config: AppConfig): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: true,
    // URL errors the router raises before Nest sees the request: same `{ error, code }` shape.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      reply
        .code(tooLong ? 414 : 400)
        .send(tooLong ? { error: 'URI Too Long', code: 'uri_too_long' } : { error: 'Bad request URL', code: 'bad_url' });
    },
  });
  // Every body this API takes is JSON: old clients may send it with another Content-Type or none.
  const fastify = adapter.getInstance();
  fastify.removeContentTypeParser('text/plain');
  fastify.addContentTypeParser('*', { parseAs: 'string' }, fastify.getDefaultJsonParser('error', 'error'));
  return adapter;
}

/** Pipes, errors, CORS, Swagger and shutdown hooks: everything the app needs before it listens. */
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
  const cors = app.get(CorsPolicy);
  app.enableCors({
    origin: (origin: string | undefined, callback: (error: Error | null, allow: boolean) => void) => {
      if (!origin) return callback(null, false);
      cors.isAllowed(origin).then(
        (allowed) => callback(null, allowed),
        () => callback(null, false),
      );
    },
    methods: ['GET', 'POST', 'PUT', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAge: 600,
  });
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('auth-service')
      .setDescription('Multi-tenant authentication: login, refresh, sessions and per-domain signing keys.')
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' }, 'admin')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  app.enableShutdownHooks();
  return app;
}

export async function startServer(config: AppConfig, logger?: LoggerService): Promise<RunningServer> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), createAdapter(config), {
    logger: logger ?? NEST_LOG_LEVELS[config.logLevel],
    bodyParser: false, // Fastify's own JSON parser only: no form bodies
  });
  return listen(configureApp(app), config);
}

/** Starts the public listener and the internal one (same app, routes marked internal-only). */
export async function listen(app: NestFastifyApplication, config: AppConfig): Promise<RunningServer> {
  await app.listen(config.port, config.host);
  const fastify = app.getHttpAdapter().getInstance();
  const internal: Server = createServer((request, response) => {
    markInternal(request);
    fastify.routing(request, response);
  });
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
    close: async () => {
      const internalClosed = new Promise<void>((resolve) => internal.close(() => resolve()));
      internal.closeIdleConnections();
      await Promise.all([app.close(), internalClosed]);
    },
  };
}
