import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { DomainNotFound } from '../common/errors.js';
import { DomainsService } from '../domains/domains.service.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { JwksDto } from './dto/jwks.dto.js';

@ApiTags('keys')
@Controller('domains/:domain/.well-known')
export class JwksController {
  constructor(
    private readonly domains: DomainsService,
    private readonly keys: SigningKeysService,
  ) {}

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=60')
  @ApiOperation({
    summary: "The domain's public signing keys (JWKS)",
    description: 'Verifiers cache it briefly and refetch on an unknown kid.',
  })
  @ApiOkResponse({ type: JwksDto })
  @ApiErrors({ 404: 'Unknown or disabled domain', 503: 'Key store unavailable' })
  async jwks(@Param('domain') name: string): Promise<JwksDto> {
    const domain = await this.domains.findActive(name);
    const keys = domain && (await this.keys.load(domain.name));
    if (!keys) throw new DomainNotFound();
    return { keys: keys.publicJwks as JwksDto['keys'] };
  }
}
