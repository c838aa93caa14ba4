import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance } from 'fastify';
import { requestClient, type RequestClient } from '../common/request-client.js';

/** What an event records about the request that caused it. */
export interface RequestFacts extends RequestClient {
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestFacts>();

/** The facts of the request being served, wherever in its async work this is asked; undefined outside one (CLI, jobs). */
export function currentRequest(): RequestFacts | undefined {
  return storage.getStore();
}

/** Every request's work runs with its facts at hand (client address as TRUSTED_PROXIES allow, user agent, request id). */
export function installRequestContext(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request, _reply, done) => {
    storage.run({ ...requestClient(request), requestId: String(request.id) }, done);
  });
}
