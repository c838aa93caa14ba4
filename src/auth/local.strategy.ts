import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-local';
import { AuthService, Principal } from './auth.service.js';

@Injectable()
export class LocalStrategy extends PassportStrategy(Strategy) {
  constructor(private readonly auth: AuthService) {
    super({ passReqToCallback: true, session: false });
  }

  /**
   * `request.ip`: the socket's address, or the client's from X-Forwarded-For only behind
   * TRUSTED_PROXIES. The principal becomes `request.user`: without the checked hash.
   */
  async validate(request: { body: { domain: string }; ip: string }, username: string, password: string): Promise<Principal> {
    const { domain } = await this.auth.authenticate(request.body.domain, username, password, request.ip);
    return { domain, username };
  }
}
