import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { DomainsModule } from '../domains/domains.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { ThrottlingModule } from '../throttling/throttling.module.js';
import { TokensModule } from '../tokens/tokens.module.js';
import { UsersModule } from '../users/users.module.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { LocalStrategy } from './local.strategy.js';
import { TokenExtractor } from './token-extractor.js';

@Module({
  imports: [PassportModule, DomainsModule, UsersModule, SessionsModule, TokensModule, ThrottlingModule],
  controllers: [AuthController],
  providers: [AuthService, LocalStrategy, TokenExtractor],
  exports: [TokenExtractor, AuthService],
})
export class AuthModule {}
