import { Module } from '@nestjs/common';
import { DomainsModule } from '../domains/domains.module.js';
import { SessionsModule } from '../sessions/sessions.module.js';
import { DynamoUsersRepository } from './dynamo-users.repository.js';
import { PasswordHasher } from './password-hasher.js';
import { PasswordPolicy } from './password-policy.js';
import { UsersController } from './users.controller.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [DomainsModule, SessionsModule],
  controllers: [UsersController],
  providers: [UsersService, PasswordHasher, PasswordPolicy, { provide: UsersRepository, useClass: DynamoUsersRepository }],
  exports: [UsersService],
})
export class UsersModule {}
