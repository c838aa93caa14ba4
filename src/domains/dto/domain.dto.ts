import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from '../../keys/signing-key.js';
import type { DomainStatus } from '../domain.js';
import { LoginThrottleDto } from './login-throttle.dto.js';

export class DomainDto {
  @ApiProperty({ example: 'acme' }) name: string;
  @ApiProperty({ enum: ['active', 'disabled'] }) status: DomainStatus;
  @ApiProperty({ enum: SIGNING_ALGORITHMS }) algorithm: SigningAlgorithm;
  @ApiProperty() audience: string;
  @ApiProperty() accessTokenTtlSeconds: number;
  @ApiProperty() sessionTtlSeconds: number;
  @ApiProperty({ type: [String] }) corsOrigins: string[];
  @ApiProperty() rotationPeriodDays: number;
  @ApiProperty({ type: 'integer' }) passwordMinLength: number;
  @ApiProperty({ type: 'integer' }) refreshReuseGraceSeconds: number;
  @ApiProperty({ type: LoginThrottleDto }) loginThrottle: LoginThrottleDto;
  @ApiProperty({ type: 'integer' }) eventRetentionDays: number;
  @ApiPropertyOptional({ description: 'What the login page calls the domain (absent: its name)' }) displayName?: string;
  @ApiPropertyOptional() logoUrl?: string;
  @ApiPropertyOptional({ example: '#0b5fff' }) brandColor?: string;
  @ApiPropertyOptional({ format: 'date-time' }) lastRotatedAt?: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}
