import type { IncomingMessage, ServerResponse } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';
import { stdSerializers, stdTimeFunctions } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { redactSecrets } from './redact.js';

interface SerializedRequest {
  id: string;
  method: string;
  url: string;
  remoteAddress?: string;
  headers: Record<string, string | undefined>;
}

/** Probes arrive every few seconds from every load balancer and orchestrator: debug, not info. */
function isProbe(url: string | undefined): boolean {
  return url !== undefined && (url.startsWith('/health/') || url === '/metrics');
}

/**
 * pino for the whole app: JSON lines on stdout, one request id per request on every line logged
 * while serving it, secrets redacted wherever they are nested. Request and response bodies are
 * never logged: the request serializer keeps the method, the path and the client only.
 */
export function loggerParams(config: AppConfig): Params {
  return {
    // Every path, `/` and unmatched ones included. (nestjs-pino's default route, `{/*splat}`, gets
    // a leading slash from the Fastify adapter and then misses every path but `/`.)
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      level: config.logLevel,
      timestamp: stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redactSecrets(object),
      },
      // The id is Fastify's `request.id` (see requestIdOf). In-request lines carry only `reqId`; the
      // one "request completed" line carries req and res too.
      quietReqLogger: true,
      serializers: {
        req: (request: SerializedRequest) => ({
          method: request.method,
          // The path only: a query string is the one place a careless client could put a secret.
          url: request.url.split('?')[0],
          remoteAddress: request.remoteAddress,
          userAgent: request.headers['user-agent'],
        }),
        res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
        err: (error: Error) => redactSecrets(stdSerializers.err(error)),
      },
      customLogLevel: (request: IncomingMessage, response: ServerResponse, error?: Error) => {
        if (error || response.statusCode >= 500) return 'error';
        return isProbe(request.url) ? 'debug' : 'info';
      },
    },
  };
}
