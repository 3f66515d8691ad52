import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendErrorAnswer } from './http-exception.filter';

/**
 * A route answered ahead of Nest's router, for the one request a service gets thousands of times
 * a second (a door's scans): Nest's router, guards and pipes cost about a tenth of such a request
 * (bench/scan). The Nest route of the same method and URL stays the authority: it carries the API
 * document, and every request the fast route does not take (`answer` resolves false, before it
 * has changed anything) goes on to it and is answered exactly as before. A fast route must run
 * the same checks as the Nest route (by calling the same code) for the requests it answers.
 */
export interface FastRoute {
  method: 'POST' | 'GET' | 'PUT' | 'DELETE';
  /** The route's pattern as Fastify knows it, e.g. `/api/events/:slug/scan`. */
  url: string;
  /** Answers the request and resolves true, or resolves false and leaves it to Nest's route. */
  answer(request: FastifyRequest, reply: FastifyReply): Promise<boolean>;
}

const routesOf = new WeakMap<FastifyInstance, Map<string, FastRoute>>();

/**
 * Hands the requests of fast routes (addFastRoute) to them, after Fastify's own work (routing,
 * body, the onRequest hooks: request limits, CORS) and before Nest's. Installed by createHttpApp
 * on every service, before Nest registers its routes (Fastify's hooks apply to the routes
 * registered after them); without fast routes, a lookup per request.
 */
export function installFastRoutes(fastify: FastifyInstance): void {
  const routes = new Map<string, FastRoute>();
  routesOf.set(fastify, routes);
  fastify.addHook('preHandler', (request, reply, done) => {
    const route = routes.size > 0 && routes.get(`${request.method} ${request.routeOptions.url}`);
    if (!route) return done();
    route.answer(request, reply).then(
      (answered) => {
        if (!answered) done();
      },
      // A fast route answers its own errors; one that escaped is answered as Nest's would be.
      (error: unknown) => sendErrorAnswer(error, reply),
    );
  });
}

/** Makes `route` answer its requests on `fastify` (a provider's onModuleInit, via HttpAdapterHost). */
export function addFastRoute(fastify: FastifyInstance, route: FastRoute): void {
  const routes = routesOf.get(fastify);
  if (!routes) throw new Error('addFastRoute: this Fastify instance was not made by createHttpApp');
  routes.set(`${route.method} ${route.url}`, route);
}
