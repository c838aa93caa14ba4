import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { DomainNotFound } from '../common/errors.js';
import { DomainsService } from '../domains/domains.service.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { JwksDto } from './dto/jwks.dto.js';

/**
 * Short enough that verifiers see a new pending key soon; they also refetch on an unknown kid,
 * and a rotated-out key stays published as AWSPREVIOUS, so a cached copy never breaks a token.
 */
const JWKS_CACHE = 'public, max-age=60, stale-while-revalidate=30';

@ApiTags('keys')
@Controller('domains/:domain/.well-known')
export class WellKnownController {
  constructor(
    private readonly domains: DomainsService,
    private readonly keys: SigningKeysService,
  ) {}

  @Get('jwks.json')
  @Header('Cache-Control', JWKS_CACHE)
  @ApiOperation({
    summary: "The domain's public signing keys (JWKS)",
    description: 'AWSPENDING, AWSCURRENT and AWSPREVIOUS keys. Verifiers cache it briefly and refetch on an unknown kid.',
  })
  @ApiOkResponse({ type: JwksDto })
  @ApiErrors({ 404: 'Unknown or disabled domain', 503: 'Key store unavailable' })
  async jwks(@Param('domain') name: string): Promise<JwksDto> {
    const keys = await this.keys.load((await this.domains.getActive(name)).name);
    if (!keys) throw new DomainNotFound();
    return { keys: keys.publicJwks as JwksDto['keys'] };
  }
}
