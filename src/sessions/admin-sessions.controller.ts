import { Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminController } from '../common/admin-api.decorator.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { Clock } from '../common/clock.js';
import { SessionDto } from './dto/session.dto.js';
import { isSessionAlive } from './session.js';
import { SessionsService } from './sessions.service.js';

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
    return sessions.map((session) => {
      const { refreshHash: _hash, generation: _generation, ...view } = session;
      return { ...view, valid: isSessionAlive(session, now) };
    });
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
