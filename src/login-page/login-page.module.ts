import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ClientsModule } from '../clients/clients.module.js';
import { DomainsModule } from '../domains/domains.module.js';
import { OAuthModule } from '../oauth/oauth.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { AuthorizeController } from './authorize.controller.js';
import { LogoutController } from './logout.controller.js';
import { LogoutService } from './logout.service.js';
import { SignInService } from './sign-in.service.js';

/** The hosted login page: the authorization endpoint's form, single sign-on, and RP-initiated logout. */
@Module({
  imports: [DomainsModule, ClientsModule, SessionsModule, TokensModule, AuthModule, OAuthModule],
  controllers: [AuthorizeController, LogoutController],
  providers: [SignInService, LogoutService],
})
export class LoginPageModule {}
