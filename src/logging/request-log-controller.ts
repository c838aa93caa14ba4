import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

/** Probes arrive every few seconds from every load balancer and orchestrator: debug, not info. */
function isProbe(path: string): boolean {
  return path.startsWith('/health/') || path === '/metrics';
}

/**
 * Fastify's request lines, our way: one "request completed" line per request (none on arrival),
 * through the request's own logger so it carries `reqId`, at error for a 5xx and at debug for
 * probes. Bodies and headers are never logged: the method, the path and the client only.
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    // The path only: a query string is the one place a careless client could put a secret.
    const path = request.url.split('?')[0];
    const level = error || reply.statusCode >= 500 ? 'error' : isProbe(path) ? 'debug' : 'info';
    if (!(request.log as Logger).isLevelEnabled(level)) return;
    const req = { method: request.method, url: path, remoteAddress: request.ip, userAgent: request.headers['user-agent'] };
    request.log[level](
      { req, res: { statusCode: reply.statusCode }, err: error ?? undefined, responseTime: reply.elapsedTime },
      'request completed',
    );
  }
}
