import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { UsersModule } from '../users/users.module.js';
import { AccountController } from './account.controller.js';
import { AccountService } from './account.service.js';
import { SignedInGuard } from './signed-in.guard.js';

/** Self-service of a signed-in user (the legacy contract's bearer token): password change, own sessions. */
@Module({
  imports: [AuthModule, UsersModule, SessionsModule],
  controllers: [AccountController],
  providers: [AccountService, SignedInGuard],
})
export class AccountModule {}
