import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class OwnSessionDto {
  @ApiProperty({ description: 'The session id (the token’s `session` claim)' }) id: string;
  @ApiProperty({ description: 'Epoch milliseconds' }) createdAt: number;
  @ApiProperty({ description: 'Epoch milliseconds: the end of its lifetime' }) expiresAt: number;
  @ApiPropertyOptional({ description: 'Epoch milliseconds' }) lastRefreshedAt?: number;
  @ApiPropertyOptional({ description: 'Epoch milliseconds' }) revokedAt?: number;
  @ApiPropertyOptional({ description: 'The client address it started from (absent on older sessions)' }) clientAddress?: string;
  @ApiPropertyOptional({ description: 'The user agent it started from, cut to 256 characters' }) userAgent?: string;
  @ApiPropertyOptional({ description: 'OAuth sessions: the app the user signed in to' }) clientId?: string;
  @ApiPropertyOptional({
    enum: ['browser'],
    description: "The browser's sign-on at the hosted login page (ending it ends the apps it signed in)",
  })
  kind?: 'browser';
  @ApiProperty({ description: 'Neither revoked nor past its lifetime' }) valid: boolean;
  @ApiProperty({ description: 'The session of the token this request presented' }) current: boolean;
}
