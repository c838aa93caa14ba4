/** NestJS adapter of the verifier kit: `auth-service/verify/nest`. */
import { CanActivate, ExecutionContext, HttpException } from '@nestjs/common';
import { unauthorizedBody } from './middleware.js';
import { TokenVerificationError, tokenFromHeader, type TokenVerifier, type VerifiedClaims, type VerifyOptions } from './verifier.js';

/**
 * Guard for consuming NestJS services: `@UseGuards(new TokenGuard(verifier))`. Puts the verified
 * claims on `request.auth`; refuses with 401 `{ error, code }`.
 */
export class TokenGuard implements CanActivate {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly options: VerifyOptions = {},
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; auth?: VerifiedClaims }>();
    const token = tokenFromHeader(request.headers.authorization);
    try {
      if (!token) throw new Error('missing token');
      request.auth = await this.verifier.verify(token, this.options);
      return true;
    } catch (error) {
      const status = error instanceof TokenVerificationError && error.code === 'session_check_failed' ? 503 : 401;
      throw new HttpException(unauthorizedBody(error), status);
    }
  }
}
