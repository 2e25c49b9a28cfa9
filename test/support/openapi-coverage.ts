import type { FastifyAdapter } from '@nestjs/platform-fastify';
import { BEARER_SCHEME } from '../../src/common/api-docs.js';

export interface RegisteredRoute {
  method: string;
  /** As registered with Fastify: `/api/v1/users/:id`. */
  path: string;
}

/**
 * Records every route the server registers, whoever registers it (Nest controllers, plugins,
 * raw Fastify routes), so that a test sees what is really served. Attach it before the app is created.
 */
export function recordRoutes(adapter: FastifyAdapter): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  adapter.getInstance().addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method: String(method).toUpperCase(), path: route.url });
  });
  return routes;
}

/** The parts of an OpenAPI 3 document the checks below read. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation | undefined>>;
  components?: { schemas?: Record<string, Schema>; securitySchemes?: Record<string, unknown> };
}

interface Operation {
  security?: Array<Record<string, string[]>>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: Schema }> }>;
}

interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, unknown>;
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

/** A route as probed over HTTP: does it refuse a request without a token? */
export interface ProbedRoute extends RegisteredRoute {
  requiresToken: boolean;
}

const ERROR_SCHEMA_REF = '#/components/schemas/ApiErrorDto';

/** `/api/v1/users/:id` as OpenAPI writes it: `/api/v1/users/{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** A concrete URL for a registered path; parameters get a value that no route can match a row with. */
export function concretePath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '00000000-0000-4000-8000-000000000000');
}

function resolve(document: OpenApiDocument, schema: Schema | undefined): Schema | undefined {
  if (!schema?.$ref) return schema;
  return document.components?.schemas?.[schema.$ref.replace('#/components/schemas/', '')];
}

/** True when a schema says something about the JSON: not absent, not a bare `object` without properties. */
function describes(document: OpenApiDocument, schema: Schema | undefined): boolean {
  const target = resolve(document, schema);
  if (!target) return false;
  if (target.allOf || target.oneOf || target.anyOf) {
    return [...(target.allOf ?? []), ...(target.oneOf ?? []), ...(target.anyOf ?? [])].some((part) => describes(document, part));
  }
  if (target.type === 'array') return describes(document, target.items);
  if (target.type === 'object' || target.type === undefined) return Object.keys(target.properties ?? {}).length > 0;
  return true;
}

function jsonSchema(content: Record<string, { schema?: Schema }> | undefined): Schema | undefined {
  return content?.['application/json']?.schema;
}

/**
 * What the OpenAPI document fails to say about the routes the server really serves: every route is
 * there with a described 2xx answer; a body it takes has a described schema and a documented 400;
 * a route that refuses requests without a token names the bearer scheme and documents 401 and
 * 403; every documented error uses the API's error format.
 */
export function documentationProblems(routes: ProbedRoute[], document: OpenApiDocument): string[] {
  const problems: string[] = [];
  for (const route of routes) {
    const name = `${route.method} ${route.path}`;
    const operation = document.paths[openApiPath(route.path)]?.[route.method.toLowerCase()];
    if (!operation) {
      problems.push(`${name}: not in the OpenAPI document`);
      continue;
    }
    const responses = operation.responses ?? {};

    const successes = Object.entries(responses).filter(([status]) => /^2\d\d$/.test(status));
    const described = successes.some(([status, response]) => status === '204' || describes(document, jsonSchema(response.content)));
    if (!described) problems.push(`${name}: no 2xx response with a JSON schema (e.g. @ApiOkResponse({ type: SomeDto }))`);

    if (operation.requestBody) {
      if (!describes(document, jsonSchema(operation.requestBody.content))) {
        problems.push(`${name}: the request body schema describes no fields (@ApiProperty on the DTO)`);
      }
      if (!responses['400']) problems.push(`${name}: takes a body but documents no 400 (@ApiErrors(400))`);
    }

    const bearer = operation.security?.some((requirement) => BEARER_SCHEME in requirement) ?? false;
    if (route.requiresToken) {
      if (!bearer) problems.push(`${name}: needs a token but does not name the ${BEARER_SCHEME} scheme (@ApiAuthenticated())`);
      for (const status of ['401', '403']) {
        if (!responses[status]) problems.push(`${name}: needs a token but documents no ${status} (@ApiAuthenticated())`);
      }
    } else if (bearer) {
      problems.push(`${name}: answers without a token but is documented as needing one`);
    }

    for (const [status, response] of Object.entries(responses)) {
      if (!/^[45]\d\d$/.test(status)) continue;
      if (jsonSchema(response.content)?.$ref !== ERROR_SCHEMA_REF) {
        problems.push(`${name}: error ${status} is not documented in the ApiErrorDto format (@ApiErrors(${status}))`);
      }
    }
  }
  return problems;
}
