import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { SignedInUser } from '../auth/auth.service.js';
import { TokenHeaders } from '../auth/token-headers.decorator.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { ErrorDto } from '../common/error.dto.js';
import { ACCOUNT_TAG } from '../common/openapi.js';
import { ClientOfRequest, type RequestClient } from '../common/request-client.js';
import { AccountService } from './account.service.js';
import { ChangePasswordDto } from './dto/change-password.dto.js';
import { OwnSessionDto } from './dto/own-session.dto.js';
import { CurrentUser, SignedInGuard } from './signed-in.guard.js';

/** A signed-in user's own password and sessions: who they are comes from the token, never from the request. */
@ApiTags(ACCOUNT_TAG)
@TokenHeaders()
@ApiErrors({
  401: 'Missing or invalid token, expired token (refresh first), unknown or disabled domain, revoked or ended session',
  503: 'Store or key store unavailable',
})
@UseGuards(SignedInGuard)
@Controller()
export class AccountController {
  constructor(private readonly account: AccountService) {}

  @Post('password')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Change the password: every other session of the user ends, this one lives on',
    description:
      'The current password is checked as a login checks it: a wrong one counts as a failed login, and enough of them are refused with 429. ' +
      'The new one must pass the domain’s password policy.',
  })
  @ApiNoContentResponse({ description: 'Password changed; the other sessions are revoked' })
  @ApiErrors({
    400: 'Invalid body; wrong current password (invalid_credentials); a new password the policy refuses (password_too_short, password_too_common, password_breached)',
  })
  @ApiResponse({
    status: 429,
    description: 'Too many failed logins for this account or from this address: wait, then try again',
    type: ErrorDto,
    headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer', minimum: 1 } } },
  })
  changePassword(
    @CurrentUser() user: SignedInUser,
    @Body() body: ChangePasswordDto,
    @ClientOfRequest() client: RequestClient,
  ): Promise<void> {
    return this.account.changePassword(user, body.currentPassword, body.newPassword, client.clientAddress);
  }

  @Get('sessions')
  @ApiOperation({
    summary: 'The user’s own sessions, newest first, the current one marked',
    description: 'Revoked and ended ones too, with `valid: false`, until the store drops them (a day after their lifetime).',
  })
  @ApiOkResponse({ type: [OwnSessionDto] })
  listSessions(@CurrentUser() user: SignedInUser): Promise<OwnSessionDto[]> {
    return this.account.listSessions(user);
  }

  @Delete('sessions/:id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke one of the user’s own sessions (this one included): its token can no longer refresh' })
  @ApiNoContentResponse({ description: 'Session revoked (or it already was)' })
  @ApiErrors({ 404: 'No session of this user has this id' })
  revokeSession(@CurrentUser() user: SignedInUser, @Param('id') id: string): Promise<void> {
    return this.account.revokeSession(user, id);
  }
}
