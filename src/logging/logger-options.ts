import type { Params } from 'nestjs-pino';
import { stdSerializers, stdTimeFunctions, type LoggerOptions } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { redactSecrets } from './redact.js';

/** pino for the whole app: JSON lines on stdout, secrets redacted wherever they are nested. */
export function pinoOptions(config: AppConfig): LoggerOptions {
  return {
    level: config.logLevel,
    timestamp: stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => redactSecrets(object),
    },
    serializers: { err: (error: Error) => redactSecrets(stdSerializers.err(error)) },
  };
}

/**
 * nestjs-pino gives the app its `Logger` (application lines: startup, rotation, storage). Request
 * lines come from Fastify's own per-request logger instead (RequestLogController), so its
 * middleware is bound to no route: that middleware runs every request inside an
 * AsyncLocalStorage, and on Node 20 an active AsyncLocalStorage puts a hook on every promise a
 * request creates, which cost 0.3–0.6 ms of CPU per session check in `npm run bench`.
 */
export function loggerParams(config: AppConfig): Params {
  return { pinoHttp: pinoOptions(config), forRoutes: [] };
}
