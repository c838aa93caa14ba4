import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { DomainNotFound } from '../common/errors.js';
import { AppConfig } from '../config/app-config.js';
import { Domain } from '../domains/domain.js';
import { DomainsService } from '../domains/domains.service.js';
import { SigningKeysService } from '../keys/signing-keys.service.js';
import { issuerOf } from './access-token.js';
import { JwksDto } from './dto/jwks.dto.js';
import { OpenIdConfigurationDto } from './dto/openid-configuration.dto.js';

/**
 * Short enough that verifiers see a new pending key soon; they also refetch on an unknown kid,
 * and a rotated-out key stays published as AWSPREVIOUS, so a cached copy never breaks a token.
 */
const JWKS_CACHE = 'public, max-age=60, stale-while-revalidate=30';
const CONFIGURATION_CACHE = 'public, max-age=300';

@ApiTags('keys')
@Controller('domains/:domain/.well-known')
export class WellKnownController {
  constructor(
    private readonly domains: DomainsService,
    private readonly keys: SigningKeysService,
    private readonly config: AppConfig,
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
    const keys = await this.keys.load((await this.activeDomain(name)).name);
    if (!keys) throw new DomainNotFound();
    return { keys: keys.publicJwks as JwksDto['keys'] };
  }

  @Get('openid-configuration')
  @Header('Cache-Control', CONFIGURATION_CACHE)
  @ApiOperation({ summary: "Discovery: the domain's issuer, JWKS and endpoints" })
  @ApiOkResponse({ type: OpenIdConfigurationDto })
  @ApiErrors({ 404: 'Unknown or disabled domain', 503: 'Store unavailable' })
  async openidConfiguration(@Param('domain') name: string): Promise<OpenIdConfigurationDto> {
    const domain = await this.activeDomain(name);
    const base = this.config.publicUrl;
    return {
      issuer: issuerOf(base, domain.name),
      jwks_uri: `${base}/domains/${domain.name}/.well-known/jwks.json`,
      token_endpoint: `${base}/login`,
      refresh_endpoint: `${base}/refresh`,
      status_endpoint: `${base}/status`,
      end_session_endpoint: `${base}/logout`,
      session_validity_endpoint: '/sessions/{sid}/valid (internal port)',
      grant_types_supported: ['password', 'refresh_token'],
      response_types_supported: ['token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: [domain.algorithm],
      token_endpoint_auth_methods_supported: ['none'],
      claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'sid', 'domain', 'username', 'session'],
    };
  }

  private async activeDomain(name: string): Promise<Domain> {
    const domain = await this.domains.findActive(name);
    if (!domain) throw new DomainNotFound();
    return domain;
  }
}
