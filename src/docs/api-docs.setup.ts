import type { INestApplication } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { POOLS_EXTENSION } from '../auth/pools.decorator.js';
import { RESOURCE_SERVER } from '../auth/scopes.guard.js';
import { USERS_READ } from '../users/users.controller.js';
import { BEARER_SCHEME, CLIENT_CREDENTIALS_SCHEME } from '../common/api-docs.js';
import type { AppConfig } from '../config/app-config.js';
import { addDocsContentSecurityPolicy } from './docs-csp.hook.js';

/** Swagger UI; the OpenAPI document is at `${DOCS_PATH}-json`. */
export const DOCS_PATH = '/api/docs';
export const DOCS_JSON_PATH = `${DOCS_PATH}-json`;

const DESCRIPTION = [
  'Every route except the health checks needs a Cognito **access token** (not the id token):',
  '`Authorization: Bearer <access token>`.',
  '',
  'Locally, `npm run -s token -- alice` prints one for the seeded user alice; paste it into **Authorize**',
  '(it is kept across reloads of this page).',
  '',
  "Other apps of the pool call the users API with an app client's client-credentials token and the scope",
  '`<resource server>/users.read` (scheme **cognito-client-credentials**); every other route is for people.',
  '',
  "The API may accept several user pools; a token's exact `iss` says which. Each route lists the pools whose tokens",
  'it accepts (`x-pools`, and **Pools** in its description); a token of another pool gets 403 `wrong_pool`.',
  '',
  'Errors are JSON `{ statusCode, error, code, message }` with a stable `code` (see ApiErrorDto).',
  '',
  'A route takes only the query parameters it lists: any other one (a misspelt `pagesize`, an `offset`) is refused',
  'with 400 `validation_failed` naming it, as unknown body fields are. The health checks ignore their query.',
].join('\n');

/**
 * The OpenAPI document of an application's routes: served below, and written and linted by
 * `npm run check` (scripts/openapi-document.ts).
 */
export function createApiDocument(app: INestApplication, appConfig: AppConfig): OpenAPIObject {
  const { resourceServer, domain, region } = appConfig.cognito;
  // Scope names are written with a placeholder for the resource server, known only at run time.
  const scope = (text: string) => text.replaceAll(RESOURCE_SERVER, resourceServer);
  const tokenUrl = `${domain ?? `https://your-domain.auth.${region}.amazoncognito.com`}/oauth2/token`;
  const config = new DocumentBuilder()
    .setTitle('Cognito-authenticated backend')
    .setDescription(DESCRIPTION)
    .setVersion('v1')
    // Relative: the origin the document was loaded from, wherever the server runs.
    .addServer('/', 'This server')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A Cognito access token (token_use: access)' },
      BEARER_SCHEME,
    )
    .addOAuth2(
      {
        type: 'oauth2',
        description: "An app client's access token from the pool's token endpoint (client credentials grant)",
        flows: { clientCredentials: { tokenUrl, scopes: { [scope(USERS_READ)]: 'Read users (GET /api/v1/users...)' } } },
      },
      CLIENT_CREDENTIALS_SCHEME,
    )
    .build();
  const document = JSON.parse(scope(JSON.stringify(SwaggerModule.createDocument(app, config)))) as OpenAPIObject;
  return withPools(
    document,
    appConfig.pools.map((pool) => pool.name),
  );
}

type Operation = { security?: unknown[]; description?: string; [POOLS_EXTENSION]?: string[] };

/**
 * Every route behind the token guard says which pools' tokens it accepts: those of its @Pools, else
 * every configured pool (known only at run time, so filled in here).
 */
function withPools(document: OpenAPIObject, pools: string[]): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as Operation[]) {
      if (typeof operation !== 'object' || operation === null) continue;
      const secured = Array.isArray(operation.security) && operation.security.length > 0;
      if (!secured && !operation[POOLS_EXTENSION]) continue;
      const accepted = operation[POOLS_EXTENSION] ?? pools;
      operation[POOLS_EXTENSION] = accepted;
      const line = `**Pools:** ${accepted.join(', ')}.`;
      operation.description = operation.description ? `${operation.description}\n\n${line}` : line;
    }
  }
  return document;
}

/** Serves the OpenAPI document and Swagger UI; both public, built on first request. */
export function setupApiDocs(app: NestFastifyApplication, appConfig: AppConfig): void {
  addDocsContentSecurityPolicy(app, appConfig, DOCS_PATH);
  SwaggerModule.setup(DOCS_PATH, app, () => createApiDocument(app, appConfig), {
    jsonDocumentUrl: DOCS_JSON_PATH,
    raw: ['json'],
    customSiteTitle: 'API docs · Cognito-authenticated backend',
    swaggerOptions: {
      persistAuthorization: true,
      // The default validator badge loads an image from validator.swagger.io: blocked by the CSP, and a leak.
      validatorUrl: null,
      displayRequestDuration: true,
    },
  });
}
