import { Controller, Get, Headers, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { bearerToken } from '../common/bearer-token.js';
import { MissingToken } from '../common/errors.js';
import { AuthService, type Principal } from './auth.service.js';
import { CurrentPrincipal } from './current-principal.decorator.js';
import { LoginDto } from './dto/login.dto.js';
import { TokenResponseDto, TokenStatusDto } from './dto/token-response.dto.js';
import { LocalAuthGuard } from './local-auth.guard.js';

const TOKEN_HEADER = { name: 'Authorization', description: 'Bearer <JWT> (a bare JWT is accepted too)', required: true };
const TOKEN_ERRORS = {
  401: 'Missing header, invalid token, unknown domain, dead session or used refresh credential',
  503: 'Store or key store unavailable',
};

function requireToken(authorization: string | undefined): string {
  const token = bearerToken(authorization);
  if (!token) throw new MissingToken();
  return token;
}

@ApiTags('auth')
@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
  @UseGuards(LocalAuthGuard)
  @ApiOperation({ summary: 'Log in with domain, username and password; returns a signed JWT' })
  @ApiBody({ type: LoginDto })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiErrors({
    400: 'Invalid JSON, missing fields, invalid domain or invalid username/password',
    413: 'Body too large',
    503: 'Store unavailable',
  })
  async login(@CurrentPrincipal() principal: Principal): Promise<TokenResponseDto> {
    return { token: await this.auth.login(principal) };
  }

  @Get('refresh')
  @ApiOperation({ summary: 'Exchange a token (even expired) of a live session for a new one; single use' })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiHeader(TOKEN_HEADER)
  @ApiErrors(TOKEN_ERRORS)
  async refresh(@Headers('authorization') authorization?: string): Promise<TokenResponseDto> {
    return { token: await this.auth.refresh(requireToken(authorization)) };
  }

  @Get('status')
  @ApiOperation({ summary: 'Whether a token is valid and how long it has left' })
  @ApiOkResponse({ type: TokenStatusDto })
  @ApiHeader(TOKEN_HEADER)
  @ApiErrors(TOKEN_ERRORS)
  status(@Headers('authorization') authorization?: string): Promise<TokenStatusDto> {
    return this.auth.status(requireToken(authorization));
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke the session of the presented token' })
  @ApiNoContentResponse({ description: 'Session revoked' })
  @ApiHeader(TOKEN_HEADER)
  @ApiErrors(TOKEN_ERRORS)
  logout(@Headers('authorization') authorization?: string): Promise<void> {
    return this.auth.logout(requireToken(authorization));
  }
}
