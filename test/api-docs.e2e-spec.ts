import { Body, Controller, Get, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { createAdapter } from '../src/app.js';
import { AppModule } from '../src/app.module.js';
import { BEARER_SCHEME, CLIENT_CREDENTIALS_SCHEME } from '../src/common/api-docs.js';
import { loadConfig } from '../src/config/load-config.js';
import { runMigrations } from '../src/database/migrate.js';
import { createApiDocument, setupApiDocs } from '../src/docs/api-docs.setup.js';
import { call } from './support/http.js';
import {
  concretePath,
  documentationProblems,
  recordRoutes,
  type OpenApiDocument,
  type ProbedRoute,
  type RegisteredRoute,
} from './support/openapi-coverage.js';
import { emulatorEnv, startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/** HEAD mirrors GET; OPTIONS answers CORS preflights. Neither is an API operation of its own. */
const NOT_OPERATIONS = new Set(['HEAD', 'OPTIONS']);

/** Routes that are not API operations: the docs themselves, and the /admin page's static files (HTML). */
const NOT_API = [/^\/api\/docs(-json|-yaml)?(\/|$)/, /^\/admin(\/|$)/];

function apiRoutes(registered: RegisteredRoute[]): RegisteredRoute[] {
  const seen = new Map<string, RegisteredRoute>();
  for (const route of registered) {
    if (NOT_OPERATIONS.has(route.method) || NOT_API.some((pattern) => pattern.test(route.path))) continue;
    seen.set(`${route.method} ${route.path}`, route);
  }
  return [...seen.values()];
}

/** Asks the running server, without a token, which of its routes need one. */
async function probe(baseUrl: string, routes: RegisteredRoute[]): Promise<ProbedRoute[]> {
  return Promise.all(
    routes.map(async (route) => {
      const response = await fetch(`${baseUrl}${concretePath(route.path)}`, { method: route.method });
      await response.arrayBuffer();
      return { ...route, requiresToken: response.status === 401 };
    }),
  );
}

async function fetchDocument(baseUrl: string): Promise<OpenApiDocument> {
  const response = await call<OpenApiDocument>(`${baseUrl}/api/docs-json`);
  expect(response.status).toBe(200);
  return response.body;
}

describe('OpenAPI document and Swagger UI', () => {
  let sut: TestApp;
  let registered: RegisteredRoute[];

  beforeAll(async () => {
    const adapter = createAdapter();
    registered = recordRoutes(adapter);
    sut = await startTestApp({ adapter });
  });
  afterAll(async () => {
    await sut.close();
  });

  it('describes every route the server serves: answers, bodies, errors and the bearer scheme', async () => {
    const routes = apiRoutes(registered);
    expect(routes).toEqual(
      expect.arrayContaining([
        { method: 'GET', path: '/api/v1/me' },
        { method: 'PATCH', path: '/api/v1/me' },
      ]),
    );
    const document = await fetchDocument(sut.url);
    expect(documentationProblems(await probe(sut.url, routes), document)).toEqual([]);
  });

  it('is the document `npm run check` lints, which is built without a database (preview mode)', async () => {
    const preview = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(sut.config), new FastifyAdapter(), {
      preview: true,
      logger: false,
    });
    try {
      expect(createApiDocument(preview, sut.config)).toEqual(await fetchDocument(sut.url));
    } finally {
      await preview.close();
    }
  });

  it('offers a bearer scheme that Swagger UI keeps across reloads', async () => {
    const document = (await call(`${sut.url}/api/docs-json`)).body as { components: { securitySchemes: Record<string, unknown> } };
    expect(document.components.securitySchemes[BEARER_SCHEME]).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    const init = await call(`${sut.url}/api/docs/swagger-ui-init.js`);
    expect(init.status).toBe(200);
    expect(init.body).toContain('"persistAuthorization": true');
  });

  it('documents the users API for app clients: client credentials with the users.read scope, or admins', async () => {
    const document = (await call(`${sut.url}/api/docs-json`)).body as {
      components: { securitySchemes: Record<string, unknown> };
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, { description?: string }> }>>;
    };
    expect(document.components.securitySchemes[CLIENT_CREDENTIALS_SCHEME]).toMatchObject({
      type: 'oauth2',
      flows: {
        clientCredentials: {
          tokenUrl: expect.stringMatching(/^https:\/\/.+\/oauth2\/token$/),
          scopes: { 'backend/users.read': expect.any(String) },
        },
      },
    });
    for (const path of ['/api/v1/users', '/api/v1/users/{id}']) {
      const operation = document.paths[path].get;
      expect(operation.security).toEqual(
        expect.arrayContaining([{ [BEARER_SCHEME]: [] }, { [CLIENT_CREDENTIALS_SCHEME]: ['backend/users.read'] }]),
      );
      expect(operation.responses['403'].description).toMatch(/insufficient_scope/);
    }
    expect(document.paths['/api/v1/me'].get.security).toEqual([{ [BEARER_SCHEME]: [] }]);
    expect(document.paths['/api/v1/me'].get.responses['403'].description).toMatch(/user_token_required/);
  });

  it('serves Swagger UI without a token and without inline script, under a strict policy of its own', async () => {
    const page = await call(`${sut.url}/api/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = page.body as unknown as string;
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc=/);
      expect(body.trim()).toBe('');
    }
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain("style-src 'self' 'unsafe-inline';");
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);

    for (const asset of ['swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'swagger-ui.css']) {
      const response = await fetch(`${sut.url}/api/docs/${asset}`);
      expect(response.status).toBe(200);
      await response.arrayBuffer();
    }
  });

  it('leaves the policy of other paths alone', async () => {
    const response = await call(`${sut.url}/api/v1/me`);
    expect(response.status).toBe(401);
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain("style-src 'self';"); // inline styles only on the docs pages
  });
});

class UndocumentedBody {
  name: string;
}

@Controller('api/v1/undocumented')
class UndocumentedController {
  @Get()
  list(): string[] {
    return [];
  }

  @Post()
  create(@Body() body: UndocumentedBody): UndocumentedBody {
    return body;
  }
}

describe('the completeness check', () => {
  let app: NestFastifyApplication;
  let db: TestDatabase;
  let url: string;
  let registered: RegisteredRoute[];

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig({ ...emulatorEnv(), DATABASE_URL: db.url });
    await runMigrations(config.databaseUrl);
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.forRoot(config)],
      controllers: [UndocumentedController],
    }).compile();
    const adapter = createAdapter();
    registered = recordRoutes(adapter);
    app = moduleRef.createNestApplication<NestFastifyApplication>(adapter, { logger: false });
    setupApiDocs(app, config);
    adapter.getInstance().get('/api/v1/raw', () => Promise.resolve({ raw: true }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  it('fails for routes added without OpenAPI decorators, and for routes outside Nest', async () => {
    const problems = documentationProblems(await probe(url, apiRoutes(registered)), await fetchDocument(url));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^GET \/api\/v1\/undocumented: no 2xx response with a JSON schema/),
        expect.stringMatching(/^GET \/api\/v1\/undocumented: needs a token but does not name the cognito-access-token scheme/),
        expect.stringMatching(/^GET \/api\/v1\/undocumented: needs a token but documents no 401/),
        expect.stringMatching(/^POST \/api\/v1\/undocumented: the request body schema describes no fields/),
        expect.stringMatching(/^POST \/api\/v1\/undocumented: takes a body but documents no 400/),
        'GET /api/v1/raw: not in the OpenAPI document',
      ]),
    );
    expect(problems.filter((problem) => problem.includes('/api/v1/me'))).toEqual([]);
  });
});
