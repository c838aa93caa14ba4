import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { AppConfig } from '../config/app-config.js';
import { Domain } from '../domains/domain.js';
import { DomainsService } from '../domains/domains.service.js';
import { issuerOf } from '../tokens/access-token.js';
import { ClientsService } from '../clients/clients.service.js';
import { AuthorizationServerMetadataDto, OpenIdConfigurationDto } from './dto/metadata.dto.js';
import { GrantRegistry } from './grants/grant-registry.js';

const METADATA_CACHE = 'public, max-age=300';
const CLIENT_AUTH_METHODS = ['client_secret_basic', 'client_secret_post'];

/** Discovery: RFC 8414 authorization server metadata, and the OpenID configuration that extends it. */
@ApiTags('keys')
@Controller()
export class MetadataController {
  constructor(
    private readonly domains: DomainsService,
    private readonly clients: ClientsService,
    private readonly grants: GrantRegistry,
    private readonly config: AppConfig,
  ) {}

  // RFC 8414 §3.1 puts it at the root, before the issuer's path; OpenID Connect's habit, after it.
  @Get(['.well-known/oauth-authorization-server/domains/:domain', 'domains/:domain/.well-known/oauth-authorization-server'])
  @Header('Cache-Control', METADATA_CACHE)
  @ApiOperation({ summary: "The domain's OAuth 2.0 authorization server metadata (RFC 8414)" })
  @ApiOkResponse({ type: AuthorizationServerMetadataDto })
  @ApiErrors({ 404: 'Unknown or disabled domain', 503: 'Store unavailable' })
  async authorizationServer(@Param('domain') name: string): Promise<AuthorizationServerMetadataDto> {
    return this.metadata(await this.domains.getActive(name));
  }

  @Get('domains/:domain/.well-known/openid-configuration')
  @Header('Cache-Control', METADATA_CACHE)
  @ApiOperation({ summary: "Discovery: the domain's issuer, JWKS and endpoints (the OAuth ones, and the old contract's)" })
  @ApiOkResponse({ type: OpenIdConfigurationDto })
  @ApiErrors({ 404: 'Unknown or disabled domain', 503: 'Store unavailable' })
  async openidConfiguration(@Param('domain') name: string): Promise<OpenIdConfigurationDto> {
    const domain = await this.domains.getActive(name);
    const base = this.config.publicUrl;
    const issuer = issuerOf(base, domain.name);
    return {
      ...(await this.metadata(domain)),
      login_endpoint: `${base}/login`,
      refresh_endpoint: `${base}/refresh`,
      status_endpoint: `${base}/status`,
      logout_endpoint: `${base}/logout`,
      userinfo_endpoint: `${issuer}/oauth2/userinfo`,
      end_session_endpoint: `${issuer}/oauth2/logout`,
      session_validity_endpoint: '/sessions/{sid}/valid (internal port)',
      subject_types_supported: ['public'],
      // HS256 domains sign no ID tokens: their clients could not verify them.
      id_token_signing_alg_values_supported: domain.algorithm === 'HS256' ? [] : [domain.algorithm],
      prompt_values_supported: ['none', 'login'],
      claims_supported: [
        ...['iss', 'sub', 'aud', 'exp', 'iat', 'jti', 'sid', 'client_id', 'scope', 'auth_time', 'nonce', 'azp', 'at_hash'],
        ...['domain', 'username', 'session'],
      ],
    };
  }

  private async metadata(domain: Domain): Promise<AuthorizationServerMetadataDto> {
    const issuer = issuerOf(this.config.publicUrl, domain.name);
    const scopes = new Set((await this.clients.list(domain.name)).filter((c) => c.status === 'active').flatMap((c) => c.scopes));
    return {
      issuer,
      authorization_endpoint: `${issuer}/oauth2/authorize`,
      token_endpoint: `${issuer}/oauth2/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      introspection_endpoint: `${issuer}/oauth2/introspect`,
      revocation_endpoint: `${issuer}/oauth2/revoke`,
      scopes_supported: [...scopes].sort(),
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      grant_types_supported: this.grants.types,
      token_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS, 'none'],
      introspection_endpoint_auth_methods_supported: CLIENT_AUTH_METHODS,
      revocation_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS, 'none'],
    };
  }
}
