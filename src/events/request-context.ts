import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance } from 'fastify';

/** What an event records about the request that caused it. */
export interface RequestFacts {
  clientAddress: string;
  userAgent?: string;
  requestId: string;
}

/** Longer user agents are cut: a header is the client's to make up, the trail's size is ours. */
const USER_AGENT_MAX = 256;

const storage = new AsyncLocalStorage<RequestFacts>();

/** The facts of the request being served, wherever in its async work this is asked; undefined outside one (CLI, jobs). */
export function currentRequest(): RequestFacts | undefined {
  return storage.getStore();
}

/** Every request's work runs with its facts at hand (client address as TRUSTED_PROXIES allow, user agent, request id). */
export function installRequestContext(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    const userAgent = request.headers['user-agent']?.slice(0, USER_AGENT_MAX);
    storage.run({ clientAddress: request.ip, requestId: String(request.id), ...(userAgent && { userAgent }) }, done);
  });
}
