import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { DomainsModule } from '../domains/domains.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { AuthorizationRequests } from './authorization-request.js';
import { ClientAuthenticator } from './client-authenticator.js';
import { ClientsModule } from '../clients/clients.module.js';
import { GRANTS, GrantRegistry } from './grants/grant-registry.js';
import { IntrospectionService } from './introspection.service.js';
import { MetadataController } from './metadata.controller.js';
import { OAuthController } from './oauth.controller.js';
import { RevocationService } from './revocation.service.js';
import { TokenEndpointService } from './token-endpoint.service.js';
import { TokenIssuer } from './token-issuer.js';
import { UserinfoController } from './userinfo.controller.js';

/** Each domain as an OAuth 2.0 authorization server: the token endpoint and its grants, introspection, revocation, metadata. */
@Module({
  imports: [DomainsModule, ClientsModule, SessionsModule, TokensModule, AuthModule],
  controllers: [OAuthController, MetadataController, UserinfoController],
  providers: [
    AuthorizationRequests,
    ClientAuthenticator,
    TokenIssuer,
    ...GRANTS,
    GrantRegistry,
    TokenEndpointService,
    IntrospectionService,
    RevocationService,
  ],
  exports: [AuthorizationRequests],
})
export class OAuthModule {}
