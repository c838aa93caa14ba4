import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { ClosedBody } from '../../common/closed-body.decorator.js';
import { MayBeOmitted } from '../../common/may-be-omitted.decorator.js';
import { CLIENT_BOUNDS, CLIENT_DEFAULTS, GRANT_TYPES, SCOPE_TOKEN_PATTERN, type ClientType, type GrantType } from '../client.js';

/** RFC 3986 URIs are printable ASCII; the rest is percent-encoded. */
const REDIRECT_URI_CHARACTERS = /^[\x21-\x7E]+$/;

const { accessTokenTtlSeconds, refreshTokenTtlSeconds, refreshReuseGraceSeconds } = CLIENT_BOUNDS;

/** Up to 10 URIs of printable ASCII; the rules of what they may be are the service's (redirect-uri-rules.ts). */
function UriList(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'string',
      isArray: true,
      maxItems: 10,
      items: { type: 'string', maxLength: 512, pattern: REDIRECT_URI_CHARACTERS.source },
      default: [],
      description,
    }),
    MayBeOmitted(),
    IsArray(),
    ArrayMaxSize(10),
    IsString({ each: true }),
    MaxLength(512, { each: true }),
    Matches(REDIRECT_URI_CHARACTERS, { each: true, message: 'each URI must be printable ASCII (percent-encode the rest)' }),
  );
}

@ClosedBody()
export class CreateClientDto {
  @ApiProperty({ example: 'orders-service', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({
    enum: ['confidential', 'public'],
    description: 'Confidential clients get a secret; public ones (browser and mobile apps) cannot keep one.',
  })
  @IsIn(['confidential', 'public'])
  type: ClientType;

  @ApiProperty({ type: 'string', isArray: true, enum: GRANT_TYPES, minItems: 1, uniqueItems: true, example: ['client_credentials'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayUnique()
  @IsIn(GRANT_TYPES, { each: true })
  grantTypes: GrantType[];

  @UriList('Exact redirect URIs (for the authorization code grant): https, loopback http, or a reverse-domain private-use scheme.')
  redirectUris?: string[];

  @UriList("Where RP-initiated logout may send the browser afterwards (exact URIs, the redirect URIs' rules).")
  postLogoutRedirectUris?: string[];

  @ApiPropertyOptional({
    type: 'string',
    isArray: true,
    maxItems: 50,
    items: { type: 'string', pattern: SCOPE_TOKEN_PATTERN.source },
    default: [],
    example: ['orders:read'],
    description: 'The scopes it may ask for (RFC 6749 §3.3 scope tokens).',
  })
  @MayBeOmitted()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(SCOPE_TOKEN_PATTERN, { each: true, message: 'each scope must be 1-128 printable ASCII characters without space, " or \\' })
  scopes?: string[];

  @ApiPropertyOptional({ minLength: 1, maxLength: 256, description: "The `aud` of its access tokens (default: the domain's audience)." })
  @MayBeOmitted()
  @IsString()
  @Length(1, 256)
  audience?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: accessTokenTtlSeconds.min,
    maximum: accessTokenTtlSeconds.max,
    description: "Default: the domain's.",
  })
  @MayBeOmitted()
  @IsInt()
  @Min(accessTokenTtlSeconds.min)
  @Max(accessTokenTtlSeconds.max)
  accessTokenTtlSeconds?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: refreshTokenTtlSeconds.min,
    maximum: refreshTokenTtlSeconds.max,
    default: CLIENT_DEFAULTS.refreshTokenTtlSeconds,
    description: "Sliding lifetime of an unused refresh token; the session's lifetime caps it.",
  })
  @MayBeOmitted()
  @IsInt()
  @Min(refreshTokenTtlSeconds.min)
  @Max(refreshTokenTtlSeconds.max)
  refreshTokenTtlSeconds?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: refreshReuseGraceSeconds.min,
    maximum: refreshReuseGraceSeconds.max,
    default: CLIENT_DEFAULTS.refreshReuseGraceSeconds,
    description:
      'How long a consumed refresh token may come again as the retry of a lost response (it then replaces the pair issued first).',
  })
  @MayBeOmitted()
  @IsInt()
  @Min(refreshReuseGraceSeconds.min)
  @Max(refreshReuseGraceSeconds.max)
  refreshReuseGraceSeconds?: number;
}
