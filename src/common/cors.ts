import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface CorsRules {
  /** The `Access-Control-Allow-Origin` for this request, or undefined for none. */
  allowOrigin(request: FastifyRequest): Promise<string | undefined>;
  allowHeaders: readonly string[];
  exposeHeaders: readonly string[];
}

/** The methods the contract lists, and DELETE for a user's own sessions; the admin API's others are not for browsers. */
const METHODS = 'GET,POST,DELETE,OPTIONS';
const PREFLIGHT_CACHE_SECONDS = '600';

/**
 * CORS as the old service answered it: every `OPTIONS` is a 200 preflight (with or without
 * `Origin`), and every answer carries the same headers. Not @fastify/cors: its decision runs before
 * the body is parsed, and a login names its domain in the body.
 */
export function installCors(fastify: FastifyInstance, rules: CorsRules): void {
  const allowHeaders = rules.allowHeaders.join(',');
  const exposeHeaders = rules.exposeHeaders.join(',');
  const apply = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const origin = await rules.allowOrigin(request);
    // A narrowed answer differs by origin: caches must keep one per origin.
    if (origin !== '*' && request.headers.origin) reply.header('vary', 'Origin');
    if (origin === undefined) return;
    reply.header('access-control-allow-origin', origin);
    reply.header('access-control-allow-methods', METHODS);
    reply.header('access-control-allow-headers', allowHeaders);
    reply.header('access-control-expose-headers', exposeHeaders);
  };
  fastify.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'OPTIONS') return;
    await apply(request, reply);
    reply.header('access-control-max-age', PREFLIGHT_CACHE_SECONDS);
    return reply.code(200).send();
  });
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'OPTIONS') await apply(request, reply);
    return payload;
  });
}
