import { Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminController } from '../common/admin-api.decorator.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { Clock } from '../common/clock.js';
import { SessionDto } from './dto/session.dto.js';
import { Session, isSessionAlive, pick } from './session.js';
import { SessionsService } from './sessions.service.js';

/** What an admin sees of a session: named fields only, never a hash (of a refresh token, cookie or code) or a nonce. */
const ADMIN_VIEW = [
  'id',
  'domain',
  'username',
  'createdAt',
  'expiresAt',
  'revokedAt',
  'lastRefreshedAt',
  'revokedFor',
  'clientAddress',
  'userAgent',
  'clientId',
  'scope',
  'refreshExpiresAt',
  'kind',
  'authTime',
  'browserSessionId',
] as const satisfies readonly (keyof Session)[];

@AdminController('admin')
export class AdminSessionsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly clock: Clock,
  ) {}

  @Get('domains/:domain/users/:username/sessions')
  @ApiOperation({ summary: "A user's sessions, newest first" })
  @ApiOkResponse({ type: [SessionDto] })
  async list(@Param('domain') domain: string, @Param('username') username: string): Promise<SessionDto[]> {
    const now = this.clock.now().getTime();
    const sessions = await this.sessions.listForUser(domain, username);
    return sessions.map((session) => ({ ...pick(session, ADMIN_VIEW), valid: isSessionAlive(session, now) }) as SessionDto);
  }

  @Post('sessions/:id/revoke')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a session: refresh and /sessions/:id/valid fail from now on' })
  @ApiNoContentResponse({ description: 'Session revoked' })
  @ApiErrors({ 404: 'Unknown session' })
  revoke(@Param('id') id: string): Promise<void> {
    return this.sessions.revokeAsAdmin(id);
  }
}
