import { applyDecorators, Controller, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { AdminTokenGuard } from './admin-token.guard.js';
import { ApiErrors } from './api-errors.decorator.js';
import { ADMIN_SCHEME } from './openapi.js';

/** An admin API controller under `path`: guarded by ADMIN_TOKEN and documented as such. */
export function AdminController(path: string, errors: Record<number, string> = {}): ClassDecorator {
  return applyDecorators(
    ApiTags('admin'),
    ApiBearerAuth(ADMIN_SCHEME),
    ApiErrors({ 401: 'Missing or wrong admin token', 403: 'Admin API disabled (no ADMIN_TOKEN)', 503: 'Store unavailable', ...errors }),
    UseGuards(AdminTokenGuard),
    Controller(path),
  );
}
