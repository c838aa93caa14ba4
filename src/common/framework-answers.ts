import { getSchemaPath, type OpenAPIObject } from '@nestjs/swagger';
import { ErrorDto } from './error.dto.js';

type Operation = { responses?: Record<string, unknown> };

const BODY_METHODS = new Set(['post', 'put', 'patch']);

const answer = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: getSchemaPath(ErrorDto) } } } });

/**
 * What Fastify answers before any route runs, documented on every operation it can reach: 414 for
 * a path parameter longer than the router takes, and, for a method with a body (read whether the
 * route takes one or not), 400 for a body that is not JSON and 413 for one over BODY_LIMIT. An
 * operation's own description of the status, if it has one, stays.
 */
export function documentFrameworkAnswers(document: OpenAPIObject): void {
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations) as [string, Operation][]) {
      const responses = operation?.responses;
      if (!responses) continue;
      if (path.includes('{')) responses['414'] ??= answer('A path parameter too long');
      if (BODY_METHODS.has(method)) {
        responses['400'] ??= answer('A body that is not JSON');
        responses['413'] ??= answer('A body over BODY_LIMIT');
      }
    }
  }
}
