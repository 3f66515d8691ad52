import type { INestApplication, Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  DocumentBuilder,
  type OpenAPIObject,
  type OperationObject,
  type PathItemObject,
  type PathsObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { routeAccess, type RouteAccess } from '@einlass/auth';
import { ANSWER_SCHEMAS } from '@einlass/contracts';

/** Where each service serves its OpenAPI document, and the page that shows it. Both public. */
export const API_DOCUMENT_URL = '/api/openapi.json';
export const API_DOCS_PAGE = '/api/docs';

/** The name of the bearer security scheme in every document. */
export const BEARER_SCHEME = 'bearer';

const API_DOCUMENT_KEY = 'einlass:api-document';

export type ServiceName = 'registration' | 'badges' | 'checkin';

/** What a service says about itself in its API document. */
export interface ApiDocumentOptions {
  service: ServiceName;
  /** One sentence: what the service owns. */
  description: string;
  /** Routes the service registers on Fastify itself, outside Nest's controllers (web pages). */
  extraPaths?: () => PathsObject;
}

/**
 * On a service's root module: the service serves an OpenAPI document of its routes at
 * `/api/openapi.json` and a readable page at `/api/docs` (createHttpApp), and `npm run openapi`
 * merges the three into docs/openapi.json (scripts/openapi.mjs).
 */
export const ApiDocument =
  (options: ApiDocumentOptions): ClassDecorator =>
  (target) =>
    Reflect.defineMetadata(API_DOCUMENT_KEY, options, target);

export const apiDocumentOptionsOf = (module: Type<unknown>): ApiDocumentOptions | undefined =>
  Reflect.getMetadata(API_DOCUMENT_KEY, module) as ApiDocumentOptions | undefined;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Who may call a route, in words, from its access decorators (docs/API.md, "Access"). */
export function describeAccess(access: RouteAccess, eventInUrl: boolean): string {
  if (access.public) return 'Public: no token needed.';
  if (access.unlimitedOnly)
    return 'Roles: organiser, with a token for every event (no events named).';
  const roles = new Set(access.roles);
  if (roles.has('door')) roles.add('desk'); // a desk token may do what a door token may
  const named = (['organiser', 'desk', 'door'] as const).filter((role) => roles.has(role));
  const event = eventInUrl ? ' (a token limited to events: one of the event in the URL)' : '';
  return `Roles: ${named.join(', ')}${event}.`;
}

/**
 * The OpenAPI document of one service, from its controllers and DTOs (the Nest CLI's swagger
 * plugin reads the DTOs' types and validators at build time): every operation tagged with the
 * service, its access (who may call it) leading its description, the bearer scheme on all but
 * public routes.
 */
export function describeApi(app: INestApplication, options: ApiDocumentOptions): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(`Einlass ${options.service}`)
    .setDescription(
      `${options.description} The public HTTP contract is docs/API.md; every endpoint but the ` +
        'public ones needs `Authorization: Bearer <token>`.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer' }, BEARER_SCHEME)
    .addSecurityRequirements(BEARER_SCHEME)
    .addTag(options.service)
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    autoTagControllers: false,
    operationIdFactory: (controller, method) => `${controller}_${method}`,
  });
  const controllers = controllersByName(app);
  for (const [path, item] of Object.entries(document.paths)) {
    for (const operation of operationsOf(item)) {
      // the operation id is `<controller class>_<method>` (operationIdFactory above)
      const [controllerName, ...method] = operation.operationId?.split('_') ?? [];
      const controller = controllers.get(controllerName);
      const prototype = controller?.prototype as Record<string, unknown> | undefined;
      const handler = prototype?.[method.join('_')];
      if (!controller || typeof handler !== 'function') continue;
      const access = routeAccess(handler, controller);
      operation.description = [
        describeAccess(access, path.includes('{slug}')),
        operation.description,
      ]
        .filter(Boolean)
        .join('\n\n');
      if (access.public) operation.security = [];
      operation.tags = [options.service];
    }
  }
  Object.assign(document.paths, options.extraPaths?.() ?? {}, documentPaths(options.service));
  // the answers routes name with answer('…') (libs/contracts/src/http/answer-schemas.ts)
  document.components = {
    ...document.components,
    schemas: { ...document.components?.schemas, ...(ANSWER_SCHEMAS as Record<string, object>) },
  };
  return document;
}

/** The document's own routes (public): the JSON and the page (its script and styles left out). */
function documentPaths(service: ServiceName): PathsObject {
  const publicRoute = { security: [], tags: [service] };
  return {
    [API_DOCUMENT_URL]: {
      get: {
        ...publicRoute,
        summary: "This service's OpenAPI document",
        description: 'Public: no token needed.',
        responses: {
          '200': {
            description: 'The document',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
        },
      },
    },
    [API_DOCS_PAGE]: {
      get: {
        ...publicRoute,
        summary: 'The document as a readable page (Swagger UI)',
        description: 'Public: no token needed.',
        responses: {
          '200': {
            description: 'The page',
            content: { 'text/html': { schema: { type: 'string' } } },
          },
        },
      },
    },
  };
}

function controllersByName(app: INestApplication): Map<string, Type<unknown>> {
  const controllers = new Map<string, Type<unknown>>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const metatype = wrapper.metatype as Type<unknown> | null;
      if (metatype) controllers.set(metatype.name, metatype);
    }
  }
  return controllers;
}

export function operationsOf(item: PathItemObject): OperationObject[] {
  return HTTP_METHODS.map((method) => item[method]).filter(
    (operation): operation is OperationObject => operation !== undefined,
  );
}

/**
 * Serves the service's document and its page (Swagger UI), without a token. The routes are
 * registered when Fastify loads its plugins (at `listen` or `ready`, after Nest's own routes),
 * so the document describes every controller and whoever watches the routes being added (the
 * route-access spec) sees these too.
 */
export function serveApiDocument(app: NestFastifyApplication, options: ApiDocumentOptions): void {
  void app
    .getHttpAdapter()
    .getInstance()
    .register((_scope, _options, done) => {
      SwaggerModule.setup(API_DOCS_PAGE, app, () => describeApi(app, options), {
        jsonDocumentUrl: API_DOCUMENT_URL,
        raw: ['json'],
        customSiteTitle: `Einlass ${options.service}: API`,
      });
      done();
    });
}

const answersAlike = (a: OperationObject, b: OperationObject) =>
  JSON.stringify(a.responses) === JSON.stringify(b.responses);

/** The answers of one path on two services: per status and content type, either schema. */
function mergeAnswers(
  into: OperationObject['responses'],
  from: OperationObject['responses'],
): OperationObject['responses'] {
  const merged = structuredClone(into);
  for (const [status, answer] of Object.entries(from)) {
    if (!answer) continue;
    const existing = merged[status];
    if (!existing || !('content' in existing) || !('content' in answer)) {
      merged[status] ??= answer;
      continue;
    }
    for (const [type, media] of Object.entries(answer.content ?? {})) {
      const known = existing.content?.[type];
      if (!known?.schema || !media.schema) continue;
      const either = ('anyOf' in known.schema && known.schema.anyOf) || [known.schema];
      const seen = either.map((schema) => JSON.stringify(schema));
      if (seen.includes(JSON.stringify(media.schema))) continue;
      known.schema = { anyOf: [...either, media.schema] };
    }
  }
  return merged;
}

/** Where each service listens by default (docs/API.md, "Services and where they listen"). */
export const DEFAULT_SERVERS: Record<ServiceName, { url: string; description: string }> = {
  registration: { url: 'http://localhost:3001', description: 'registration (REGISTRATION_PORT)' },
  badges: { url: 'http://localhost:3002', description: 'badges (BADGES_PORT)' },
  checkin: { url: 'http://localhost:3003', description: 'check-in (CHECKIN_PORT)' },
};

/**
 * The three services' documents as one (docs/openapi.json): each operation names its service's
 * server and carries its tag. A path several services serve alike (`/health`, `/api/me`,
 * `…/pipeline`, `…/personal-data`) is one operation naming each of their servers; where their
 * answers differ the first service's is shown and the description says so.
 */
export function mergeApiDocuments(
  parts: { service: ServiceName; description: string; document: OpenAPIObject }[],
): OpenAPIObject {
  const merged: OpenAPIObject = {
    openapi: '3.0.0',
    info: {
      title: 'Einlass',
      description:
        'Event check-in and badges: three services, each serving its own part of this document ' +
        `at ${API_DOCUMENT_URL} (readable at ${API_DOCS_PAGE}). Each operation names the server ` +
        'of its service. The contract is docs/API.md; this document is generated from the ' +
        'code by `npm run openapi`.',
      version: '1',
    },
    servers: parts.map(({ service }) => DEFAULT_SERVERS[service]),
    tags: parts.map(({ service, description }) => ({ name: service, description })),
    security: [{ [BEARER_SCHEME]: [] }],
    paths: {},
    components: { securitySchemes: {}, schemas: {} },
  };
  for (const { service, document } of parts) {
    Object.assign(merged.components!.securitySchemes!, document.components?.securitySchemes);
    Object.assign(merged.components!.schemas!, document.components?.schemas);
    for (const [path, item] of Object.entries(document.paths)) {
      const into = (merged.paths[path] ??= {});
      for (const method of HTTP_METHODS) {
        const operation = item[method];
        if (!operation) continue;
        const existing = into[method];
        if (!existing) {
          into[method] = {
            ...operation,
            operationId: `${service}_${operation.operationId ?? `${method}_${path}`}`,
            servers: [DEFAULT_SERVERS[service]],
          };
          continue;
        }
        existing.servers = [...(existing.servers ?? []), DEFAULT_SERVERS[service]];
        existing.tags = [...(existing.tags ?? []), service];
        if (answersAlike(existing, operation)) continue;
        existing.description =
          `${existing.description ?? ''}\n\nOn ${service}: that service's own part of the ` +
          `answer (its ${API_DOCUMENT_URL} shows it).`;
        existing.responses = mergeAnswers(existing.responses, operation.responses);
      }
    }
  }
  return merged;
}
