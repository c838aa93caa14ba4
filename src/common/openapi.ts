import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { AppConfig } from '../config/app-config.js';
import { documentFrameworkAnswers } from './framework-answers.js';
import { INTERNAL_TAG } from './internal-route.decorator.js';

/** Security scheme names the controllers refer to (`@ApiBearerAuth(...)`). */
export const ADMIN_SCHEME = 'admin';
export const TOKEN_SCHEME = 'token';
export const CLIENT_SCHEME = 'client';
/** The signed-in user's self-service routes (src/account). */
export const ACCOUNT_TAG = 'account';

/**
 * The OpenAPI document (`/docs-json`) and Swagger UI (`/docs`). Tags in the order a reader needs
 * them: what apps call (for their users too), what consumers fetch, the operator's API, probes, and the internal port last.
 */
export function setupOpenApi(app: NestFastifyApplication, config: AppConfig): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('auth-service')
    .setDescription(
      'Multi-tenant authentication: login, refresh, sessions and per-domain signing keys. ' +
        'Errors are `{error, code}`; the old service’s routes add `message`.',
    )
    .setVersion('1')
    .addTag('auth', 'The login/refresh contract apps call (token in `Authorization` or `Authorizationjwt`)')
    .addTag(ACCOUNT_TAG, 'A signed-in user’s own password and sessions (the token from POST /login, unexpired)')
    .addTag('oauth', 'Each domain as an OAuth 2.0 authorization server: token, introspection, revocation (RFC 6749 errors)')
    .addTag('keys', 'Per-domain public keys and discovery, for services that verify tokens')
    .addTag('admin', 'Domains, users, sessions and keys; `Authorize` with the value of ADMIN_TOKEN')
    .addTag('health', 'Liveness and readiness probes')
    .addTag(INTERNAL_TAG, `Internal port only (INTERNAL_PORT, ${config.internalPort}): 404 on the public port`)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The value of ADMIN_TOKEN' }, ADMIN_SCHEME)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A token from POST /login' }, TOKEN_SCHEME)
    .addBasicAuth(
      { type: 'http', scheme: 'basic', description: 'An OAuth client: client id and secret (client_secret_basic)' },
      CLIENT_SCHEME,
    );
  const document = SwaggerModule.createDocument(app, builder.build());
  sendInternalOperationsToInternalPort(document, config);
  letPublicClientsIn(document);
  documentFrameworkAnswers(document);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    swaggerOptions: { persistAuthorization: true },
  });
  return document;
}

/**
 * The token and revocation endpoints also take a public client, which authenticates with nothing
 * but `client_id` in the body: their security is Basic *or none* (introspection stays Basic).
 */
function letPublicClientsIn(document: OpenAPIObject): void {
  for (const [path, operations] of Object.entries(document.paths)) {
    if (!/\/oauth2\/(token|revoke)$/.test(path)) continue;
    for (const operation of Object.values(operations) as { security?: Record<string, string[]>[] }[]) operation.security?.push({});
  }
}

/**
 * Operation-level `servers`: "Try it out" on an internal route targets the internal port, never the
 * public one (where the route answers 404).
 */
function sendInternalOperationsToInternalPort(document: OpenAPIObject, config: AppConfig): void {
  const internal = [{ url: `http://localhost:${config.internalPort}`, description: 'the internal port (INTERNAL_PORT)' }];
  for (const operations of Object.values(document.paths)) {
    for (const operation of Object.values(operations) as { tags?: string[]; servers?: unknown[] }[]) {
      if (operation?.tags?.includes(INTERNAL_TAG)) operation.servers = internal;
    }
  }
}
