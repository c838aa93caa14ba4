import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class RotationResultDto {
  @ApiProperty() domain: string;
  @ApiProperty({ enum: ['rotated', 'skipped', 'in-progress', 'failed'] }) status: string;
  @ApiPropertyOptional({ description: 'kid of the new current key' }) kid?: string;
  @ApiPropertyOptional({ description: 'kid of the key that became AWSPREVIOUS (still verifiable)' }) previousKid?: string;
  @ApiProperty() actor: string;
  @ApiProperty({ format: 'date-time' }) at: string;
}

export class KeyVersionDto {
  @ApiProperty() kid: string;
  @ApiProperty({ enum: ['ES256', 'EdDSA', 'RS256', 'HS256'] }) alg: string;
  @ApiProperty({ type: [String], example: ['AWSCURRENT'] }) stages: string[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiPropertyOptional({ description: 'Who created this version' }) createdBy?: string;
}
