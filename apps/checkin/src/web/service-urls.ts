import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '@einlass/config';

/**
 * Where the browser reaches each service: the configured public URLs, else the host name the
 * browser used for this page with each service's port (what `npm run up` gives:
 * http://localhost:3001 … 3003).
 */
export function serviceUrls(config: AppConfig, request: FastifyRequest) {
  const sameHost = (port: number) => `${request.protocol}://${request.hostname}:${port}`;
  return {
    registration:
      config.get('REGISTRATION_PUBLIC_URL', { infer: true }) ??
      sameHost(config.get('REGISTRATION_PORT', { infer: true })),
    badges:
      config.get('BADGES_PUBLIC_URL', { infer: true }) ??
      sameHost(config.get('BADGES_PORT', { infer: true })),
    checkin: `${request.protocol}://${request.host}`,
  };
}
