import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { InvalidRequest } from './oauth-errors.js';

/** The parameters of an OAuth request body, read by RFC 6749 §3.1's rules. */
export class OAuthParameters {
  constructor(private readonly form: URLSearchParams) {}

  /** The value, or undefined when absent or empty (sent without a value = omitted); twice is an error. */
  optional(name: string): string | undefined {
    const values = this.form.getAll(name);
    if (values.length > 1) throw new InvalidRequest(`${name} must not be given more than once`);
    return values[0] === '' ? undefined : values[0];
  }

  required(name: string): string {
    const value = this.optional(name);
    if (value === undefined) throw new InvalidRequest(`${name} is required`);
    return value;
  }
}

/**
 * The request's form parameters (the form parser accepts forms on OAuth routes only). Any other
 * body is a malformed request: RFC 6749 §3.2 names the one format.
 */
export const OAuthForm = createParamDecorator((_data: unknown, context: ExecutionContext): OAuthParameters => {
  const { body } = context.switchToHttp().getRequest<FastifyRequest>();
  if (!(body instanceof URLSearchParams)) throw new InvalidRequest('The body must be application/x-www-form-urlencoded');
  return new OAuthParameters(body);
});
