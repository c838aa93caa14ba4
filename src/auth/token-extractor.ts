import { Injectable } from '@nestjs/common';
import { decodeJwt } from 'jose';
import type { IncomingHttpHeaders } from 'node:http';
import { tokenFromHeaders } from '../common/bearer-token.js';
import { MissingToken } from '../common/errors.js';
import { AppConfig } from '../config/app-config.js';

/**
 * The one place a request's token is read: `Authorization`, the old clients' `Authorizationjwt`,
 * then `AUTH_HEADER`, with or without `Bearer `. Every route that takes a token asks it.
 */
@Injectable()
export class TokenExtractor {
  constructor(private readonly config: AppConfig) {}

  find(headers: IncomingHttpHeaders): string | undefined {
    return tokenFromHeaders(headers, this.config.tokenHeaders);
  }

  /** The domain the presented token names, unverified: for decisions that grant nothing (CORS). */
  claimedDomain(headers: IncomingHttpHeaders): string | undefined {
    const token = this.find(headers);
    if (!token) return undefined;
    try {
      const { domain } = decodeJwt(token);
      return typeof domain === 'string' ? domain : undefined;
    } catch {
      return undefined;
    }
  }

  /** The token, or the contract's 401 `Please provide a jwt authorization token`. */
  require(headers: IncomingHttpHeaders): string {
    const token = this.find(headers);
    if (!token) throw new MissingToken();
    return token;
  }
}
