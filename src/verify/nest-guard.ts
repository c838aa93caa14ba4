/** NestJS adapter of the verifier kit: `auth-service/verify/nest`. */
import { CanActivate, ExecutionContext, HttpException } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { authenticate, bearerChallenge, checkedAdapterOptions, refusalStatus, unauthorizedBody } from './middleware.js';
import type { AdapterOptions, TokenVerifier, VerifiedClaims } from './verifier.js';

/** The response under Nest: Fastify's reply (`header`) or Express's (`setHeader`). */
interface HeaderTarget {
  header?(name: string, value: string): unknown;
  setHeader?(name: string, value: string): unknown;
}

/**
 * Guard for consuming NestJS services: `@UseGuards(new TokenGuard(verifier, { scopes: ['orders:read'] }))`.
 * Puts the verified claims on `request.auth`; refuses with `{ error, code }`, the status of
 * `refusalStatus` and the `WWW-Authenticate` challenge of `bearerChallenge`.
 */
export class TokenGuard implements CanActivate {
  private readonly options: AdapterOptions;

  constructor(
    private readonly verifier: TokenVerifier,
    options: AdapterOptions = {},
  ) {
    this.options = checkedAdapterOptions(options);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ headers: IncomingMessage['headers']; auth?: VerifiedClaims }>();
    try {
      request.auth = await authenticate(this.verifier, request.headers, this.options);
      return true;
    } catch (error) {
      const challenge = bearerChallenge(error);
      if (challenge !== undefined) setHeader(context.switchToHttp().getResponse<HeaderTarget>(), 'www-authenticate', challenge);
      throw new HttpException(unauthorizedBody(error), refusalStatus(error));
    }
  }
}

/** Headers set before the exception stay on the reply Nest's exception filter sends. */
function setHeader(response: HeaderTarget, name: string, value: string): void {
  if (typeof response.header === 'function') response.header(name, value);
  else response.setHeader?.(name, value);
}
