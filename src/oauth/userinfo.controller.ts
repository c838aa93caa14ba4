import { applyDecorators, Controller, Get, Header, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { tokenFromHeaders } from '../common/bearer-token.js';
import { OAuthRoute } from '../common/oauth-route.js';
import { AppConfig } from '../config/app-config.js';
import { DomainsService } from '../domains/domains.service.js';
import { SessionsService } from '../sessions/sessions.service.js';
import { issuerOf } from '../tokens/access-token.js';
import { TokensService } from '../tokens/tokens.service.js';
import { OAuthErrorDto, UserinfoDto } from './dto/oauth.dto.js';
import { BearerTokenRefused } from './oauth-errors.js';

/** What both of userinfo's methods are: a bearer-token resource, never cached, its refusals RFC 6750's. */
function UserinfoEndpoint(summary: string): MethodDecorator {
  return applyDecorators(
    OAuthRoute(),
    Header('Cache-Control', 'no-store'),
    ApiOperation({ summary }),
    ApiBearerAuth(),
    ApiOkResponse({ type: UserinfoDto }),
    ApiResponse({ status: 401, description: 'No token, or invalid_token (expired, revoked, not ours)', type: OAuthErrorDto }),
    ApiResponse({ status: 403, description: 'insufficient_scope: the token was not granted openid', type: OAuthErrorDto }),
    ApiResponse({ status: 404, description: 'Unknown or disabled domain', type: OAuthErrorDto }),
  );
}

/**
 * OpenID Connect Core §5.3: who the access token's user is. Only for a token granted `openid`, and
 * only while its session lives: a logout or revocation ends the answer at once, not at `exp`.
 */
@ApiTags('oauth')
@Controller('domains/:domain/oauth2/userinfo')
export class UserinfoController {
  constructor(
    private readonly domains: DomainsService,
    private readonly tokens: TokensService,
    private readonly sessions: SessionsService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @UserinfoEndpoint("OpenID Connect userinfo: the access token's user (scope openid)")
  userinfo(@Param('domain') domain: string, @Req() request: FastifyRequest): Promise<UserinfoDto> {
    return this.answer(domain, request);
  }

  @Post()
  @UserinfoEndpoint('OpenID Connect userinfo, by POST (the token still in Authorization)')
  userinfoByPost(@Param('domain') domain: string, @Req() request: FastifyRequest): Promise<UserinfoDto> {
    return this.answer(domain, request);
  }

  private async answer(domainName: string, request: FastifyRequest): Promise<UserinfoDto> {
    const domain = await this.domains.getActive(domainName);
    const realm = issuerOf(this.config.publicUrl, domain.name);
    const token = tokenFromHeaders(request.headers, ['authorization']);
    if (token === undefined) throw new BearerTokenRefused(401, 'invalid_request', 'An access token is required', realm, false);
    const claims = await this.tokens.verifyAccessToken(domain, token);
    if (!claims) throw new BearerTokenRefused(401, 'invalid_token', 'The access token is invalid or expired', realm);
    if (!claims.scope.split(' ').includes('openid')) {
      throw new BearerTokenRefused(403, 'insufficient_scope', 'The access token was not granted openid', realm);
    }
    if (claims.sid === undefined || !(await this.sessions.isValid(claims.sid))) {
      throw new BearerTokenRefused(401, 'invalid_token', "The access token's session has ended", realm);
    }
    return { sub: claims.sub };
  }
}
