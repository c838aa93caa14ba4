import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';

/**
 * Marks a route of the old service's contract (`../shared/CONTRACT.md`): its errors carry
 * `message` beside `error`, and its JSON answers say `Content-Type: application/json` exactly.
 */
export const ContractRoute = (): MethodDecorator => RouteConfig({ contract: true });

export function isContractRoute(request: FastifyRequest): boolean {
  return (request.routeOptions?.config as { contract?: boolean } | undefined)?.contract === true;
}
