import type { FastifyInstance, FastifyRequest } from 'fastify';
import { InvalidJsonBody } from '../common/errors.js';

/**
 * Deeper than any body this API takes (its DTOs nest two levels). A deeper body never reaches a
 * parser's result, so nothing that walks it later (class-transformer, validators, loggers) can
 * overflow the stack.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Whether the arrays and objects of a JSON text nest deeper than `limit`: one pass over the
 * characters, strings skipped, stopping as soon as the limit is passed. A text that is not JSON
 * is left to the parser to refuse.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c)
        i++; // a backslash escapes the next character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) {
      inString = true;
    } else if (char === 0x5b || char === 0x7b) {
      if (++depth > limit) return true;
    } else if (char === 0x5d || char === 0x7d) {
      depth--;
    }
  }
  return false;
}

/**
 * Every body this API takes is JSON, whatever its Content-Type (old clients send it with another or
 * none): Fastify's own parser (prototype-poisoning protection, body limit), behind the depth limit.
 */
export function installJsonBodyParser(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  const parser = (request: FastifyRequest, body: string | Buffer, done: (error: Error | null, body?: unknown) => void) => {
    const text = body.toString();
    if (nestsDeeperThan(text, MAX_JSON_DEPTH)) return done(new InvalidJsonBody(), undefined);
    parse(request, text, done);
  };
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'string' }, parser);
}
