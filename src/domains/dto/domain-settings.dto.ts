import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ClosedBody } from '../../common/closed-body.decorator.js';
import { MayBeOmitted } from '../../common/may-be-omitted.decorator.js';
import { LoginThrottleDto } from './login-throttle.dto.js';

/**
 * An origin as browsers serialize it in `Origin`: `http(s)://host[:port]`, the host lowercase DNS
 * labels (an internationalized one punycoded) or an IPv4 address. Anything else could never match
 * a browser's `Origin`, so it is refused rather than stored.
 */
const ORIGIN_PATTERN = /^https?:\/\/[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::[0-9]{1,5})?$/;

// The branding patterns are the whole rule and go into the OpenAPI document as they are, so they
// use only what JavaScript and Python regexes read alike, and no ambiguous nested repetition (they
// also run on values far over the length limits).
const CONTROL = '\\x00-\\x1f\\x7f-\\x9f';
/** What String.prototype.trim removes, less the control characters refused anyway. */
const SPACE = ' \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
/** No control characters, and something left once trimmed (the first character that is not a space). */
const DISPLAY_NAME_PATTERN = new RegExp(`^[${SPACE}]*[^${CONTROL}${SPACE}][^${CONTROL}]*$`);

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?';
/** The last label starts with a letter: URL parsers read a host ending in a number as an IPv4 address. */
const HOST = `(?:${LABEL}\\.)*[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?`;
const PORT = '(?::(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4}))?';
/**
 * An https URL whose authority is a host name and port alone: no user info (credentials), and no
 * fragment, spaces, backslashes (which URL parsers read as slashes) or non-ASCII (percent-encode it).
 */
const LOGO_URL_PATTERN = new RegExp(`^https://${HOST}${PORT}(?:[/?][A-Za-z0-9._~!$&'()*+,;=:@%/?-]*)?$`);

const BRAND_COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;

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

  // @IsOptional: on these, `null` is a value (remove the setting), and passes as one.
  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    minLength: 1,
    maxLength: 100,
    pattern: DISPLAY_NAME_PATTERN.source,
    example: 'Acme Corporation',
    description: 'What the hosted login page calls the domain (default: its name); trimmed, no control characters. null removes it.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @Matches(DISPLAY_NAME_PATTERN, { message: 'displayName must not be blank nor contain control characters' })
  displayName?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    maxLength: 2048,
    pattern: LOGO_URL_PATTERN.source,
    example: 'https://cdn.acme.test/logo.svg',
    description:
      'The logo on the login page: an https URL with a host name, no credentials and no fragment (non-ASCII percent-encoded). null removes it.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  @Matches(LOGO_URL_PATTERN, { message: 'logoUrl must be an https URL with a host name, no credentials and no fragment' })
  logoUrl?: string | null;

  @ApiPropertyOptional({
    type: 'string',
    nullable: true,
    pattern: BRAND_COLOR_PATTERN.source,
    example: '#0b5fff',
    description: 'The accent colour of the login page, #rrggbb. null removes it.',
  })
  @IsOptional()
  @IsString()
  @Matches(BRAND_COLOR_PATTERN, { message: 'brandColor must be a colour like #1a2b3c' })
  brandColor?: string | null;
}
