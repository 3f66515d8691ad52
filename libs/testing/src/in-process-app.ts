import type { Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
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
