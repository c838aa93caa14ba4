import { CanActivate, ExecutionContext, Injectable, createParamDecorator } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { AuthService, type SignedInUser } from '../auth/auth.service.js';
import { TokenExtractor } from '../auth/token-extractor.js';

const SIGNED_IN = Symbol('auth-service.signed-in-user');

type GuardedRequest = { headers: IncomingHttpHeaders; [SIGNED_IN]?: SignedInUser };

/**
 * Lets a request through only with an unexpired token of a live session (401 with the reason
 * otherwise), before its body is looked at. Identity comes from the token, never from the request.
 */
@Injectable()
export class SignedInGuard implements CanActivate {
  constructor(
    private readonly tokens: TokenExtractor,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<GuardedRequest>();
    request[SIGNED_IN] = await this.auth.signedIn(this.tokens.require(request.headers));
    return true;
  }
}

/** The user SignedInGuard let in, and the session of their token. */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): SignedInUser => {
  const user = context.switchToHttp().getRequest<GuardedRequest>()[SIGNED_IN];
  if (!user) throw new Error('CurrentUser used on a route SignedInGuard does not guard');
  return user;
});
