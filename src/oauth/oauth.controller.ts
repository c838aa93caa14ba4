import { applyDecorators, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { ApiBasicAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { OAuthRoute } from '../common/oauth-route.js';
import { CLIENT_SCHEME } from '../common/openapi.js';
import { ClientAuthenticator } from './client-authenticator.js';
import { IntrospectionDto, OAuthErrorDto, TokenOnlyRequestDto, TokenRequestDto, OAuthTokenResponseDto } from './dto/oauth.dto.js';
import { IntrospectionService } from './introspection.service.js';
import { OAuthForm, OAuthParameters } from './oauth-parameters.js';
import { RevocationService } from './revocation.service.js';
import { TokenEndpointService } from './token-endpoint.service.js';

/** An OAuth endpoint: a form in, RFC 6749 errors out, client authentication documented. */
function OAuthEndpoint(path: string, body: new () => unknown, errors: Record<number, string>): MethodDecorator {
  return applyDecorators(
    Post(path),
    HttpCode(200),
    OAuthRoute(),
    ApiConsumes('application/x-www-form-urlencoded'),
    ApiBody({ type: body }),
    ApiBasicAuth(CLIENT_SCHEME),
    ...Object.entries({ 404: 'Unknown or disabled domain', 503: 'Store unavailable (temporarily_unavailable)', ...errors }).map(
      ([status, description]) => ApiResponse({ status: Number(status), description, type: OAuthErrorDto }),
    ),
  );
}

/** Each domain's OAuth 2.0 endpoints (issuer `<PUBLIC_URL>/domains/<domain>`). */
@ApiTags('oauth')
@Controller('domains/:domain/oauth2')
export class OAuthController {
  constructor(
    private readonly tokenEndpoint: TokenEndpointService,
    private readonly authenticator: ClientAuthenticator,
    private readonly introspection: IntrospectionService,
    private readonly revocation: RevocationService,
  ) {}

  @OAuthEndpoint('token', TokenRequestDto, {
    400: 'invalid_request, invalid_grant, unauthorized_client, unsupported_grant_type or invalid_scope',
    401: 'invalid_client (with WWW-Authenticate)',
  })
  @ApiOperation({ summary: 'Token endpoint (RFC 6749): client_credentials, password and refresh_token grants' })
  @ApiOkResponse({ type: OAuthTokenResponseDto, headers: { 'Cache-Control': { schema: { type: 'string', example: 'no-store' } } } })
  token(
    @Param('domain') domain: string,
    @OAuthForm() params: OAuthParameters,
    @Req() request: FastifyRequest,
  ): Promise<OAuthTokenResponseDto> {
    return this.tokenEndpoint.exchange(domain, params, request);
  }

  @OAuthEndpoint('introspect', TokenOnlyRequestDto, { 400: 'invalid_request', 401: 'invalid_client: confidential clients only' })
  @ApiOperation({ summary: 'Token introspection (RFC 7662): whether a token is active, and what it grants' })
  @ApiOkResponse({ type: IntrospectionDto })
  async introspect(
    @Param('domain') domainName: string,
    @OAuthForm() params: OAuthParameters,
    @Req() request: FastifyRequest,
  ): Promise<IntrospectionDto> {
    const { domain, client } = await this.authenticator.authenticate(domainName, request, params, { publicClients: false });
    return this.introspection.introspect(domain, client, params.required('token'));
  }

  @OAuthEndpoint('revoke', TokenOnlyRequestDto, {
    400: 'invalid_request, or unsupported_token_type (a client credentials token)',
    401: 'invalid_client',
  })
  @ApiOperation({ summary: "Token revocation (RFC 7009): ends the grant's session; unknown tokens are answered 200 too" })
  @ApiOkResponse({ description: 'Revoked, or nothing to revoke' })
  async revoke(@Param('domain') domainName: string, @OAuthForm() params: OAuthParameters, @Req() request: FastifyRequest): Promise<void> {
    const { domain, client } = await this.authenticator.authenticate(domainName, request, params, { publicClients: true });
    await this.revocation.revoke(domain, client, params.required('token'));
  }
}
