import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class SessionValidityDto {
  @ApiProperty({ description: 'True while the session exists, is not revoked and not expired.' })
  valid: boolean;
}

export class SessionDto {
  @ApiProperty() id: string;
  @ApiProperty() domain: string;
  @ApiProperty() username: string;
  @ApiProperty({ description: 'Epoch milliseconds' }) createdAt: number;
  @ApiProperty({ description: 'Epoch milliseconds' }) expiresAt: number;
  @ApiPropertyOptional({ description: 'Epoch milliseconds' }) revokedAt?: number;
  @ApiPropertyOptional({ description: 'Epoch milliseconds' }) lastRefreshedAt?: number;
  @ApiPropertyOptional({ description: 'Why it was revoked, when not by a logout or an admin (refresh_reuse)' }) revokedFor?: string;
  @ApiPropertyOptional({ description: 'The client address it started from (absent on sessions older than this field)' })
  clientAddress?: string;
  @ApiPropertyOptional({ description: 'The user agent it started from, cut to 256 characters (absent if none was sent)' })
  userAgent?: string;
  @ApiPropertyOptional({ description: 'OAuth sessions: the client the grant was made to' }) clientId?: string;
  @ApiPropertyOptional({ description: 'OAuth sessions: the granted scope' }) scope?: string;
  @ApiPropertyOptional({ description: 'OAuth sessions: when an unused refresh token dies (epoch milliseconds)' })
  refreshExpiresAt?: number;
  @ApiPropertyOptional({ enum: ['browser'], description: "A browser's sign-on at the hosted login page (absent: an app's session)" })
  kind?: 'browser';
  @ApiPropertyOptional({ description: 'When its user last entered their password (epoch milliseconds)' }) authTime?: number;
  @ApiPropertyOptional({ description: 'An app session started at the hosted login page: its browser session' })
  browserSessionId?: string;
  @ApiProperty() valid: boolean;
}
