import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';

/**
 * Marks a route of the hosted login page: a browser's HTML form posts to it
 * (`application/x-www-form-urlencoded`, CSRF-checked by the route), and it answers in HTML.
 */
export const PageRoute = (): MethodDecorator => RouteConfig({ page: true });

export function isPageRoute(request: FastifyRequest): boolean {
  return (request.routeOptions?.config as { page?: boolean } | undefined)?.page === true;
}
