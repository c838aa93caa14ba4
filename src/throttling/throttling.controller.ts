import { Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { AdminController } from '../common/admin-api.decorator.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { DomainsService } from '../domains/domains.service.js';
import { ThrottleStateDto } from './dto/throttle-state.dto.js';
import { LoginThrottleService } from './login-throttle.service.js';

/** An account's login throttle, for an operator helping a locked-out user (existing or not). */
@AdminController('admin/domains/:domain/users/:username/throttle')
export class ThrottlingController {
  constructor(
    private readonly throttle: LoginThrottleService,
    private readonly domains: DomainsService,
  ) {}

  @Get()
  @ApiOperation({ summary: "An account's login throttle: failures and the wait of clients new to it" })
  @ApiOkResponse({ type: ThrottleStateDto })
  @ApiErrors({ 404: 'Unknown domain' })
  async show(@Param('domain') domain: string, @Param('username') username: string): Promise<ThrottleStateDto> {
    return this.throttle.accountState(await this.domains.get(domain), username);
  }

  // An action on the account's counter, not the deletion of a resource: its state is still there
  // to read afterwards (no failures, no wait), so a POST, as the API's other actions.
  @Post('clear')
  @HttpCode(204)
  @ApiOperation({ summary: "Clear an account's login throttle (every instance within 10 s)" })
  @ApiNoContentResponse({ description: 'Cleared' })
  @ApiErrors({ 404: 'Unknown domain' })
  async clear(@Param('domain') domain: string, @Param('username') username: string): Promise<void> {
    await this.throttle.clearAccount((await this.domains.get(domain)).name, username);
  }
}
