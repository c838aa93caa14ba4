import type { FastifyInstance, RouteOptions } from 'fastify';
import { markContractPath } from '../common/contract-route.js';
import { MethodNotAllowed } from '../common/errors.js';

interface PathRoutes {
  pattern: RegExp;
  methods: Set<string>;
  contract: boolean;
}

/** `/admin/domains/:domain` → a regular expression for its concrete paths (`*` takes the rest). */
function patternOf(url: string): RegExp {
  const source = url
    .split(/(:[^/]+|\*)/)
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/**
 * A method a path has no route for gets 405 with `Allow` (RFC 9110), not the router's 404 (Fastify's
 * choice) nor, for QUERY without a Content-Type, its 400: it runs before the body is read. Errors go
 * through the exception filter like any other, so the body is `{ error, code }` (plus `message` on
 * the contract's paths). `OPTIONS` is the CORS preflight's, answered on every path.
 */
export function installMethodNotAllowed(fastify: FastifyInstance): void {
  const paths = new Map<string, PathRoutes>();
  // Called for every route as it is registered (Nest's, Swagger UI's, Fastify's HEAD twins of GETs).
  fastify.addHook('onRoute', (route: RouteOptions) => {
    const known = paths.get(route.url) ?? { pattern: patternOf(route.url), methods: new Set(['OPTIONS']), contract: false };
    for (const method of [route.method].flat()) known.methods.add(method.toUpperCase());
    known.contract ||= (route.config as { contract?: boolean } | undefined)?.contract === true;
    paths.set(route.url, known);
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.is404 || request.method === 'OPTIONS') return done();
    const path = request.url.split('?', 1)[0];
    const matching = [...paths.values()].filter((routes) => routes.pattern.test(path));
    if (matching.length === 0) return done();
    const allowed = new Set(matching.flatMap((routes) => [...routes.methods]));
    reply.header('allow', [...allowed].sort().join(', '));
    if (matching.some((routes) => routes.contract)) markContractPath(request);
    done(new MethodNotAllowed());
  });
}
