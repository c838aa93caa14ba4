import type { Params } from 'nestjs-pino';
import { pino, stdSerializers, stdTimeFunctions, type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import { PinoPretty } from 'pino-pretty';
import type { AppConfig } from '../config/app-config.js';
import { redactSecrets } from './redact.js';

/** pino for the whole app: secrets redacted wherever they are nested. */
export function pinoOptions(config: AppConfig): LoggerOptions {
  return {
    level: config.logLevel,
    timestamp: stdTimeFunctions.isoTime,
    formatters: {
      // JSON lines name their level; pino-pretty reads pino's numbers.
      ...(config.logFormat === 'json' && { level: (label: string) => ({ level: label }) }),
      log: (object) => redactSecrets(object),
    },
    serializers: { err: (error: Error) => redactSecrets(stdSerializers.err(error)) },
  };
}

/**
 * Where lines go: JSON on stdout (containers, CI, anything that parses them), or through
 * pino-pretty, in process and synchronous, for a person at a terminal.
 */
export function logDestination(config: AppConfig, output: NodeJS.WritableStream = process.stdout): DestinationStream | undefined {
  if (config.logFormat === 'json') return output === process.stdout ? undefined : (output as DestinationStream);
  return PinoPretty({
    destination: output,
    sync: true,
    colorize: output === process.stdout,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,context',
    messageFormat: '{if context}[{context}] {end}{msg}',
  });
}

export function createLogger(config: AppConfig, output?: NodeJS.WritableStream): Logger {
  const destination = logDestination(config, output);
  return destination ? pino(pinoOptions(config), destination) : pino(pinoOptions(config));
}

/**
 * nestjs-pino gives the app its `Logger` (application lines: startup, rotation, storage). Request
 * lines come from Fastify's own per-request logger instead (RequestLogController), so its
 * middleware is bound to no route: that middleware runs every request inside an
 * AsyncLocalStorage, and on Node 20 an active AsyncLocalStorage puts a hook on every promise a
 * request creates, which cost 0.3–0.6 ms of CPU per session check in `npm run bench`.
 */
export function loggerParams(config: AppConfig): Params {
  const destination = logDestination(config);
  return { pinoHttp: destination ? [pinoOptions(config), destination] : pinoOptions(config), forRoutes: [] };
}
