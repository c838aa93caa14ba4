import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, Matches, Max, Min, ValidateNested } from 'class-validator';
import { ClosedBody } from '../../common/closed-body.decorator.js';
import { MayBeOmitted } from '../../common/may-be-omitted.decorator.js';
import { LoginThrottleDto } from './login-throttle.dto.js';

/**
 * An origin as browsers serialize it in `Origin`: `http(s)://host[:port]`, the host lowercase DNS
 * labels (an internationalized one punycoded) or an IPv4 address. Anything else could never match
 * a browser's `Origin`, so it is refused rather than stored.
 */
const ORIGIN_PATTERN = /^https?:\/\/[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?$/;

/** A domain's settings, each optional: at creation the defaults fill in, on an update the rest stays. */
@ClosedBody()
export class DomainSettingsDto {
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

  @ApiPropertyOptional({ type: 'integer', minimum: 8, maximum: 1024, default: 8, description: 'Shortest password its users may set.' })
  @MayBeOmitted()
  @IsInt()
  @Min(8)
  @Max(1024)
  passwordMinLength?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 10,
    default: 5,
    description:
      'Seconds after a refresh in which its consumed credential may come again (two tabs) and only be refused; later, its reuse revokes the session.',
  })
  @MayBeOmitted()
  @IsInt()
  @Min(0)
  @Max(10)
  refreshReuseGraceSeconds?: number;

  @ApiPropertyOptional({ type: LoginThrottleDto, description: 'Login throttling (defaults: see the README).' })
  @MayBeOmitted()
  @ValidateNested()
  @Type(() => LoginThrottleDto)
  loginThrottle?: LoginThrottleDto;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 3650, default: 90, description: 'Days its security events are kept.' })
  @MayBeOmitted()
  @IsInt()
  @Min(1)
  @Max(3650)
  eventRetentionDays?: number;
}
