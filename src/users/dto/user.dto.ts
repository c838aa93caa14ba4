import { ApiProperty } from '@nestjs/swagger';
import type { UserStatus } from '../user.js';

export class UserDto {
  @ApiProperty() domain: string;
  @ApiProperty() username: string;
  @ApiProperty({ enum: ['active', 'disabled'] }) status: UserStatus;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}
