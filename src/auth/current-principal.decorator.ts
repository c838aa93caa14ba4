import { ExecutionContext, createParamDecorator } from '@nestjs/common';
import type { Principal } from './auth.service.js';

/** The principal passport-local authenticated for this request. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest<{ user: Principal }>().user,
);
