import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { RouteNotFound } from './errors.js';

const INTERNAL = Symbol('auth-service.internal-request');

/** Tags a request as having arrived on the internal port (set by the internal listener). */
export function markInternal(request: IncomingMessage): void {
  (request as IncomingMessage & { [INTERNAL]?: true })[INTERNAL] = true;
}

/**
 * Routes for other services only: on the public port they do not exist (404), so the public
 * load balancer never exposes them.
 */
@Injectable()
export class InternalOnlyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ raw: IncomingMessage & { [INTERNAL]?: true } }>();
    if (request.raw[INTERNAL] !== true) throw new RouteNotFound();
    return true;
  }
}
