import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { InvalidCredentials, InvalidJsonBody, MissingCredentials } from '../common/errors.js';
import { LoginDto } from './dto/login.dto.js';

/**
 * Checks the login body's shape with the contract's messages before passport-local sees it
 * (guards run before pipes), then lets the strategy authenticate.
 */
@Injectable()
export class LocalAuthGuard extends AuthGuard('local') {
  override canActivate(context: ExecutionContext) {
    const { body } = context.switchToHttp().getRequest<{ body: unknown }>();
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new InvalidJsonBody();
    if (validateSync(plainToInstance(LoginDto, body)).length > 0) throw new MissingCredentials();
    return super.canActivate(context);
  }

  override handleRequest<TUser>(error: unknown, user: TUser | false): TUser {
    if (error) throw error;
    if (!user) throw new InvalidCredentials();
    return user;
  }
}
