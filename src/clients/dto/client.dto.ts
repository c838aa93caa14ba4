import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { GRANT_TYPES, type ClientStatus, type ClientType, type GrantType } from '../client.js';

export class ClientDto {
  @ApiProperty() domain: string;
  @ApiProperty({ example: 'q0Gm5dXyJ0a1d1bFk3b2lQ' }) clientId: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ['confidential', 'public'] }) type: ClientType;
  @ApiProperty({ type: 'string', isArray: true, enum: GRANT_TYPES }) grantTypes: GrantType[];
  @ApiProperty({ type: [String] }) redirectUris: string[];
  @ApiProperty({ type: [String] }) postLogoutRedirectUris: string[];
  @ApiProperty({ type: [String] }) scopes: string[];
  @ApiPropertyOptional() audience?: string;
  @ApiPropertyOptional({ type: 'integer' }) accessTokenTtlSeconds?: number;
  @ApiProperty({ type: 'integer' }) refreshTokenTtlSeconds: number;
  @ApiProperty({ type: 'integer' }) refreshReuseGraceSeconds: number;
  @ApiProperty({ enum: ['active', 'disabled'] }) status: ClientStatus;
  @ApiPropertyOptional({ format: 'date-time', description: 'While the secret a rotation replaced still works.' })
  previousSecretValidUntil?: string;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class ClientWithSecretDto extends ClientDto {
  @ApiPropertyOptional({ description: 'Confidential clients only. Shown this once: only its hash is stored.' })
  clientSecret?: string;
}
