import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';

/**
 * Marks a route of the old service's contract (`../shared/CONTRACT.md`): its errors carry
 * `message` beside `error`, and its JSON answers say `Content-Type: application/json` exactly.
 */
export const ContractRoute = (): MethodDecorator => RouteConfig({ contract: true });

const CONTRACT_PATH = Symbol('auth-service.contract-path');

/**
 * A request no route matched but whose path is a contract route's (another method: a 405): its
 * error is answered as the contract route's errors are, since the old clients read them alike.
 */
export function markContractPath(request: FastifyRequest): void {
  (request as FastifyRequest & { [CONTRACT_PATH]?: true })[CONTRACT_PATH] = true;
}

export function isContractRoute(request: FastifyRequest): boolean {
  if ((request as FastifyRequest & { [CONTRACT_PATH]?: true })[CONTRACT_PATH] === true) return true;
  return (request.routeOptions?.config as { contract?: boolean } | undefined)?.contract === true;
}
