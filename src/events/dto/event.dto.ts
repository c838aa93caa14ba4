import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EVENT_TYPES, type EventActor, type EventType } from '../security-event.js';

export class EventDto {
  @ApiProperty() id: string;
  @ApiProperty({ format: 'date-time' }) at: string;
  @ApiProperty({ enum: EVENT_TYPES }) type: EventType;
  @ApiProperty({ description: "The domain ('-' for an admin token refused outside one)" }) domain: string;
  @ApiPropertyOptional() username?: string;
  @ApiPropertyOptional() clientId?: string;
  @ApiPropertyOptional() sessionId?: string;
  @ApiPropertyOptional({ enum: ['user', 'admin', 'client', 'system'] }) actor?: EventActor;
  @ApiPropertyOptional({ description: 'For operators only, e.g. unknown_user or wrong_password (the user is never told which)' })
  reason?: string;
  @ApiPropertyOptional({ description: 'key_rotated: ok, refused or forced' }) result?: string;
  @ApiPropertyOptional() clientAddress?: string;
  @ApiPropertyOptional() userAgent?: string;
  @ApiPropertyOptional() requestId?: string;
}

export class EventPageDto {
  @ApiProperty({ type: [EventDto], description: 'Newest first' }) events: EventDto[];
  @ApiPropertyOptional({ description: 'Pass as `cursor` for the next page; absent on the last one' }) cursor?: string;
}
