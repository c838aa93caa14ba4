import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader } from '@nestjs/swagger';
import { TOKEN_SCHEME } from '../common/openapi.js';

/**
 * The routes that take a token from POST /login: `Authorization: Bearer` is the security scheme
 * (Swagger UI's Authorize); the old clients' header is a parameter.
 */
export const TokenHeaders = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiBearerAuth(TOKEN_SCHEME),
    ApiHeader({ name: 'Authorizationjwt', description: 'The old clients’ header: the JWT, `Bearer ` optional', required: false }),
  );
