/** NestJS adapter of the verifier kit: `auth-service/verify/nest`. */
import { CanActivate, ExecutionContext, HttpException } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { authenticate, refusalStatus, unauthorizedBody } from './middleware.js';
import type { AdapterOptions, TokenVerifier, VerifiedClaims } from './verifier.js';

/**
 * Guard for consuming NestJS services: `@UseGuards(new TokenGuard(verifier))`. Puts the verified
 * claims on `request.auth`; refuses with 401 `{ error, code }`.
 */
export class TokenGuard implements CanActivate {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly options: AdapterOptions = {},
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ headers: IncomingMessage['headers']; auth?: VerifiedClaims }>();
    try {
      request.auth = await authenticate(this.verifier, request.headers, this.options);
      return true;
    } catch (error) {
      throw new HttpException(unauthorizedBody(error), refusalStatus(error));
    }
  }
}
