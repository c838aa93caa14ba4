import { Controller, Get, Headers, HttpCode, ParseBoolPipe, Post, Query, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { ContractRoute } from '../common/contract-route.js';
import { ErrorDto } from '../common/error.dto.js';
import { Unauthorized, ValidationFailed } from '../common/errors.js';
import { ClientOfRequest, type RequestClient } from '../common/request-client.js';
import { AuthService, type Principal } from './auth.service.js';
import { CurrentPrincipal } from './current-principal.decorator.js';
import { IdentityDto, TokenResponseDto, TokenStatusDto } from './dto/token-response.dto.js';
import { LoginDto } from './dto/login.dto.js';
import { identityHeaders, IDENTITY_HEADERS } from './identity-headers.js';
import { LocalAuthGuard } from './local-auth.guard.js';
import { TokenExtractor } from './token-extractor.js';
import { TokenHeaders } from './token-headers.decorator.js';

const TOKEN_ERRORS = {
  401: 'Missing header, invalid token, unknown domain, dead session or used refresh credential',
  503: 'Store or key store unavailable',
};
/** `?all=`: `true` or `false` only (the global pipe would read anything else as false). */
function allFlag(): ParseBoolPipe {
  return new ParseBoolPipe({ optional: true, exceptionFactory: () => new ValidationFailed('all must be true or false') });
}

/** The old service's routes, answered as its final revision did (`../shared/CONTRACT.md`). */
@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly tokens: TokenExtractor,
  ) {}

  @Post('login')
  @HttpCode(200)
  @ContractRoute()
  @UseGuards(LocalAuthGuard)
  @ApiOperation({ summary: 'Log in with domain, username and password; returns a signed JWT' })
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiErrors({
    400: 'Invalid JSON, missing fields, invalid domain or invalid username/password',
    413: 'Body too large',
    503: 'Store unavailable',
  })
  @ApiResponse({
    status: 429,
    description: 'Too many failed logins for this account or from this address: wait, then try again',
    type: ErrorDto,
    headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer', minimum: 1 } } },
  })
  async login(@CurrentPrincipal() principal: Principal, @ClientOfRequest() client: RequestClient): Promise<TokenResponseDto> {
    return { token: await this.auth.login(principal, client) };
  }

  @Get('refresh')
  @ContractRoute()
  @ApiOperation({ summary: 'Exchange a token (even expired) of a live session for a new one; single use' })
  @ApiOkResponse({ type: TokenResponseDto })
  @TokenHeaders()
  @ApiErrors(TOKEN_ERRORS)
  async refresh(@Headers() headers: IncomingHttpHeaders): Promise<TokenResponseDto> {
    return { token: await this.auth.refresh(this.tokens.require(headers)) };
  }

  @Get('status')
  @ContractRoute()
  @ApiOperation({ summary: 'Whether a token verifies (expired or not) and its session lives, and how long it has left' })
  @ApiOkResponse({ type: TokenStatusDto })
  @TokenHeaders()
  @ApiErrors(TOKEN_ERRORS)
  status(@Headers() headers: IncomingHttpHeaders): Promise<TokenStatusDto> {
    return this.auth.status(this.tokens.require(headers));
  }

  @Get('auth')
  @ContractRoute()
  @ApiOperation({
    summary: 'Forward-auth check for reverse proxies (nginx auth_request, Traefik ForwardAuth)',
    description: `200 for an unexpired token of a live session, with the identity in the headers ${Object.values(IDENTITY_HEADERS).join(', ')} (values outside printable ASCII percent-encoded).`,
  })
  @ApiOkResponse({ type: IdentityDto })
  @TokenHeaders()
  @ApiErrors({
    401: 'No token: {"message":"Unauthorized"}',
    403: 'Invalid or expired token, unknown or disabled domain, revoked or ended session',
    503: 'Store or key store unavailable',
  })
  async authorize(@Headers() headers: IncomingHttpHeaders, @Res({ passthrough: true }) reply: FastifyReply): Promise<IdentityDto> {
    const token = this.tokens.find(headers);
    if (!token) throw new Unauthorized();
    const identity = await this.auth.authorize(token);
    reply.headers(identityHeaders(identity));
    return identity;
  }

  @Post('logout')
  @HttpCode(204)
  @ContractRoute()
  @ApiOperation({
    summary: 'Revoke the session of the presented token; with all=true, every session of its user',
    description:
      'Without `all` (or with `all=false`), as the old service did: the token may be expired, and a session revoked before is no error. ' +
      'With `all=true`, the token must be unexpired and its session live (as for the `account` routes), and every session of the user ends, this one included.',
  })
  @ApiQuery({ name: 'all', required: false, schema: { type: 'string', enum: ['true', 'false'] } })
  @ApiNoContentResponse({ description: 'Session (or sessions) revoked' })
  @TokenHeaders()
  @ApiErrors({ 400: '`all` other than true or false', ...TOKEN_ERRORS, 401: `${TOKEN_ERRORS[401]}; with all=true, also an expired token` })
  logout(@Headers() headers: IncomingHttpHeaders, @Query('all', allFlag()) all: boolean | undefined): Promise<void> {
    const token = this.tokens.require(headers);
    return all ? this.auth.logoutEverywhere(token) : this.auth.logout(token);
  }
}
