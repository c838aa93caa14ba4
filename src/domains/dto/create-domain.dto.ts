import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { ClosedBody } from '../../common/closed-body.decorator.js';
import { MayBeOmitted } from '../../common/may-be-omitted.decorator.js';
import { SIGNING_ALGORITHMS, type SigningAlgorithm } from '../../keys/signing-key.js';
import { DOMAIN_NAME_PATTERN } from '../domain.js';

/**
 * An origin as browsers serialize it in `Origin`: `http(s)://host[:port]`, the host lowercase DNS
 * labels (an internationalized one punycoded) or an IPv4 address. Anything else could never match
 * a browser's `Origin`, so it is refused rather than stored.
 */
const ORIGIN_PATTERN = /^https?:\/\/[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?$/;

@ClosedBody()
export class CreateDomainDto {
  @ApiProperty({
    example: 'acme',
    pattern: DOMAIN_NAME_PATTERN.source,
    description: 'Lowercase letters, digits and dashes, 1-63 characters.',
  })
  @IsString()
  @Matches(DOMAIN_NAME_PATTERN, { message: 'name must be lowercase letters, digits and dashes (1-63 characters)' })
  name: string;

  @ApiPropertyOptional({ enum: SIGNING_ALGORITHMS, default: 'ES256', description: 'HS256 is a legacy option (shared secret).' })
  @MayBeOmitted()
  @IsIn(SIGNING_ALGORITHMS)
  algorithm?: SigningAlgorithm;

  @ApiPropertyOptional({ minLength: 1, maxLength: 256, description: 'The `aud` claim of the tokens; defaults to the domain name.' })
  @MayBeOmitted()
  @IsString()
  @Length(1, 256)
  audience?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 30,
    maximum: 86400,
    description: 'Access token lifetime (default ACCESS_TOKEN_TTL_SECONDS).',
  })
  @MayBeOmitted()
  @IsInt()
  @Min(30)
  @Max(86400)
  accessTokenTtlSeconds?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 60, maximum: 31536000, description: 'Session lifetime (default SESSION_TTL_SECONDS).' })
  @MayBeOmitted()
  @IsInt()
  @Min(60)
  @Max(31536000)
  sessionTtlSeconds?: number;

  @ApiPropertyOptional({
    type: 'string',
    isArray: true,
    maxItems: 50,
    items: { type: 'string', pattern: ORIGIN_PATTERN.source },
    example: ['https://app.acme.test'],
    description: 'Browser origins allowed to call the API.',
  })
  @MayBeOmitted()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(ORIGIN_PATTERN, { each: true, message: 'corsOrigins must be origins like https://app.example.com' })
  corsOrigins?: string[];

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 365, default: 30 })
  @MayBeOmitted()
  @IsInt()
  @Min(1)
  @Max(365)
  rotationPeriodDays?: number;
}
