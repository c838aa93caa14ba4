import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from '../../keys/signing-key.js';
import { DOMAIN_NAME_PATTERN } from '../domain.js';

export class CreateDomainDto {
  @ApiProperty({ example: 'acme', description: 'Lowercase letters, digits and dashes, 1-63 characters.' })
  @IsString()
  @Matches(DOMAIN_NAME_PATTERN, { message: 'name must be lowercase letters, digits and dashes (1-63 characters)' })
  name: string;

  @ApiPropertyOptional({ enum: SIGNING_ALGORITHMS, default: 'ES256', description: 'HS256 is a legacy option (shared secret).' })
  @IsOptional()
  @IsIn(SIGNING_ALGORITHMS)
  algorithm?: SigningAlgorithm;

  @ApiPropertyOptional({ description: 'The `aud` claim of the tokens; defaults to the domain name.' })
  @IsOptional()
  @IsString()
  @Length(1, 256)
  audience?: string;

  @ApiPropertyOptional({ minimum: 30, maximum: 86400, description: 'Access token lifetime (default ACCESS_TOKEN_TTL_SECONDS).' })
  @IsOptional()
  @IsInt()
  @Min(30)
  @Max(86400)
  accessTokenTtlSeconds?: number;

  @ApiPropertyOptional({ minimum: 60, maximum: 31536000, description: 'Session lifetime (default SESSION_TTL_SECONDS).' })
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(31536000)
  sessionTtlSeconds?: number;

  @ApiPropertyOptional({ type: [String], example: ['https://app.acme.test'], description: 'Browser origins allowed to call the API.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^https?:\/\/[^/\s]+$/, { each: true, message: 'corsOrigins must be origins like https://app.example.com' })
  corsOrigins?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 365, default: 30 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(365)
  rotationPeriodDays?: number;
}
