import { Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminController } from '../common/admin-api.decorator.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { EventPageDto } from './dto/event.dto.js';
import { EVENTS_PAGE_DEFAULT, EventsQueryDto } from './dto/events-query.dto.js';
import { EventsService } from './events.service.js';

@AdminController('admin/domains/:domain/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Get()
  @ApiOperation({
    summary: "A domain's security events, newest first",
    description: 'Filtered by user, type and time, a page at a time (each page one indexed query).',
  })
  @ApiOkResponse({ type: EventPageDto })
  @ApiErrors({ 400: 'Invalid filter or cursor' })
  list(@Param('domain') domain: string, @Query() query: EventsQueryDto): Promise<EventPageDto> {
    return this.events.query({ domain, ...query, limit: query.limit ?? EVENTS_PAGE_DEFAULT });
  }
}
