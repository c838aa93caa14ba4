import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { OAUTH_ERROR_CODES, OAUTH_FAULT_CODES } from '../../common/oauth-route.js';
import { GRANT_TYPES } from '../../clients/client.js';

/** RFC 6749 §5.2. */
export class OAuthErrorDto {
  @ApiProperty({ enum: [...OAUTH_ERROR_CODES, ...OAUTH_FAULT_CODES] })
  error: string;

  @ApiProperty({ example: 'The refresh token is invalid, expired, revoked or already used' })
  error_description: string;
}

/**
 * The token request's form (documentation: the endpoint reads the form by RFC 6749's rules: unknown
 * parameters ignored, an empty one counts as omitted).
 */
export class TokenRequestDto {
  @ApiProperty({ enum: [...GRANT_TYPES] }) grant_type: string;
  @ApiPropertyOptional({ description: 'client_secret_post and public clients (with client_secret_basic: omit, or the same id)' })
  client_id?: string;
  @ApiPropertyOptional({ description: 'client_secret_post' }) client_secret?: string;
  @ApiPropertyOptional({ description: 'Space-delimited; a refresh may only narrow the grant' }) scope?: string;
  @ApiPropertyOptional({ description: 'password grant' }) username?: string;
  @ApiPropertyOptional({ description: 'password grant', format: 'password' }) password?: string;
  @ApiPropertyOptional({ description: 'refresh_token grant' }) refresh_token?: string;
  @ApiPropertyOptional({ description: 'authorization_code grant: the code the redirect brought' }) code?: string;
  @ApiPropertyOptional({ description: 'authorization_code grant: the redirect URI of the authorization request' })
  redirect_uri?: string;
  @ApiPropertyOptional({ description: 'authorization_code grant: the PKCE verifier (RFC 7636), 43-128 characters' })
  code_verifier?: string;
}

export class OAuthTokenResponseDto {
  @ApiProperty({ description: 'RFC 9068 JWT (header typ at+jwt)' }) access_token: string;
  @ApiProperty({ enum: ['Bearer'] }) token_type: 'Bearer';
  @ApiProperty({ type: 'integer' }) expires_in: number;
  @ApiPropertyOptional({ description: 'Opaque, single use: each refresh returns the next one' }) refresh_token?: string;
  @ApiProperty() scope: string;
  @ApiPropertyOptional({ description: 'OpenID Connect ID token (scope openid, authorization code grant)' }) id_token?: string;
}

/** RFC 7662 §2.1 and RFC 7009 §2.1. */
export class TokenOnlyRequestDto {
  @ApiProperty({ minLength: 1, description: 'An empty value counts as none (RFC 6749 §3.1)' }) token: string;
  @ApiPropertyOptional({ description: 'access_token or refresh_token; ignored (any value): the token says what it is' })
  token_type_hint?: string;
  @ApiPropertyOptional() client_id?: string;
  @ApiPropertyOptional() client_secret?: string;
}

/** RFC 7662 §2.2. */
export class IntrospectionDto {
  @ApiProperty() active: boolean;
  @ApiPropertyOptional() scope?: string;
  @ApiPropertyOptional() client_id?: string;
  @ApiPropertyOptional() username?: string;
  @ApiPropertyOptional({ enum: ['Bearer'] }) token_type?: string;
  @ApiPropertyOptional({ type: 'integer' }) exp?: number;
  @ApiPropertyOptional({ type: 'integer' }) iat?: number;
  @ApiPropertyOptional() sub?: string;
  @ApiPropertyOptional() aud?: string;
  @ApiPropertyOptional() iss?: string;
  @ApiPropertyOptional() jti?: string;
  @ApiPropertyOptional() sid?: string;
}

/** OpenID Connect Core §5.3.2. */
export class UserinfoDto {
  @ApiProperty({ description: 'The user (their username in the domain)' }) sub: string;
}
