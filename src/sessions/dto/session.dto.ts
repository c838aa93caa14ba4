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
  @ApiProperty() valid: boolean;
}
