import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { RouteOptions } from 'fastify';
import { createHttpApp } from '@einlass/bootstrap';
import { serviceEnv } from './test-env';

/**
 * A service's Nest application inside the test process, on the real test database and Redis,
 * with the same HTTP set-up as in production; requests go through Fastify's `inject`. `env`
 * overrides the service environment (serviceEnv).
 */
export async function startInProcess(
  module: Type<unknown>,
  configure?: (app: NestFastifyApplication) => void,
  env: Record<string, string> = {},
): Promise<NestFastifyApplication> {
  // REGISTRATION_URL: see setup-env.ts.
  Object.assign(process.env, serviceEnv({ REGISTRATION_URL: 'http://127.0.0.1:9', ...env }));
  const app = await createHttpApp(module);
  configure?.(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

export const bearer = (token: string): Record<string, string> => ({
  authorization: `Bearer ${token}`,
});

/**
 * Collects "METHOD /path" of each route the app's Fastify registers while it boots (its onRoute
 * hook; HEAD and OPTIONS left out): call it in startInProcess's `configure`. The route-access and
 * API-document specs read the services' routes this way.
 */
export const collectRoutes = (into: string[]) => (app: NestFastifyApplication) => {
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRoute', (route: RouteOptions) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      for (const method of methods) {
        if (method === 'HEAD' || method === 'OPTIONS') continue;
        into.push(`${method} ${route.url}`);
      }
    });
};
