import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { EventsService } from '../events/events.service.js';
import { bearerToken } from './bearer-token.js';
import { AdminDisabled, AdminUnauthorized } from './errors.js';
import { constantTimeEqual } from './secrets.js';

/** Who the audit trail names for changes made through the admin API. */
export const ADMIN_API_ACTOR = 'admin-api';

/** The admin API answers only to `Authorization: Bearer <ADMIN_TOKEN>`; without ADMIN_TOKEN it is off. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(
    private readonly config: AppConfig,
    private readonly events: EventsService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.config.adminToken;
    if (!expected) throw new AdminDisabled();
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; params?: { domain?: unknown } }>();
    const presented = bearerToken(request.headers.authorization);
    if (!presented || !constantTimeEqual(presented, expected)) {
      const domain = typeof request.params?.domain === 'string' ? request.params.domain : undefined;
      this.events.record({ type: 'admin_auth_failed', domain, reason: presented ? 'wrong_token' : 'no_token' });
      throw new AdminUnauthorized();
    }
    return true;
  }
}
