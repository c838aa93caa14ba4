import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { InternalRoute } from '../common/internal-route.decorator.js';
import { SessionValidityDto } from './dto/session.dto.js';
import { SessionsService } from './sessions.service.js';

@InternalRoute()
@Controller('sessions')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Get(':id/valid')
  @ApiOperation({
    summary: 'Whether a session still lives (internal port only)',
    description: 'For critical operations of other services. Answered from DynamoDB with a consistent read, never from a cache.',
  })
  @ApiOkResponse({ type: SessionValidityDto })
  @ApiErrors({ 414: 'Id too long', 503: 'Store unavailable' })
  async valid(@Param('id') id: string): Promise<SessionValidityDto> {
    return { valid: await this.sessions.isValid(id) };
  }
}
