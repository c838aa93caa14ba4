import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsString, Length, Max, Min } from 'class-validator';
import { MayBeOmitted } from '../../common/may-be-omitted.decorator.js';
import { EVENT_TYPES, type EventType } from '../security-event.js';

export const EVENTS_PAGE_DEFAULT = 50;
export const EVENTS_PAGE_MAX = 200;

/** The query of the events route; every filter is served by an index. */
export class EventsQueryDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 128, description: "One user's events" })
  @MayBeOmitted()
  @IsString()
  @Length(1, 128)
  username?: string;

  @ApiPropertyOptional({ enum: EVENT_TYPES })
  @MayBeOmitted()
  @IsIn(EVENT_TYPES)
  type?: EventType;

  @ApiPropertyOptional({ format: 'date-time', description: 'From this instant (inclusive)' })
  @MayBeOmitted()
  @IsISO8601({ strict: true })
  since?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Until this instant (inclusive)' })
  @MayBeOmitted()
  @IsISO8601({ strict: true })
  until?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: EVENTS_PAGE_MAX, default: EVENTS_PAGE_DEFAULT })
  @MayBeOmitted()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,4}$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(EVENTS_PAGE_MAX)
  limit?: number;

  @ApiPropertyOptional({ maxLength: 2048, description: 'The `cursor` of the previous page' })
  @MayBeOmitted()
  @IsString()
  @Length(1, 2048)
  cursor?: string;
}
