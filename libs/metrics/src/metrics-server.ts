import { createServer, Server } from 'node:http';
import { AggregatorRegistry } from 'prom-client';
import { metricsRegistry } from './metrics';

export interface MetricsServerOptions {
  port: number;
  host: string;
  /**
   * In the primary of a <SERVICE>_PROCESSES cluster: answer with the sum of every service
   * process's metrics (prom-client's AggregatorRegistry asks them over the cluster's IPC).
   */
  cluster?: boolean;
  /** Told when the port cannot be bound: the service goes on without metrics. */
  onError?: (error: Error) => void;
}

// The processes of a cluster answer the primary's request with this registry.
AggregatorRegistry.setRegistries([metricsRegistry]);

/**
 * In a process of a <SERVICE>_PROCESSES cluster: answer the primary's requests for this process's
 * metrics (prom-client listens for them once an AggregatorRegistry exists in the process).
 */
export function answerClusterMetricRequests(): void {
  new AggregatorRegistry();
}

/**
 * `GET /metrics` in Prometheus's text format on a port and address of its own (METRICS_HOST, by
 * default 127.0.0.1), never on the API port: no API token is asked, so who may scrape is decided
 * by where this listens. Anything else is 404.
 */
export function startMetricsServer(options: MetricsServerOptions): Promise<Server | undefined> {
  const aggregator = options.cluster ? new AggregatorRegistry() : undefined;
  const server = createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found\n');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end();
      return;
    }
    const text = aggregator ? aggregator.clusterMetrics() : metricsRegistry.metrics();
    text.then(
      (body) => {
        response.writeHead(200, {
          'content-type': aggregator ? aggregator.contentType : metricsRegistry.contentType,
        });
        response.end(request.method === 'HEAD' ? undefined : body);
      },
      (error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(error)}\n`);
      },
    );
  });
  return new Promise((resolve) => {
    server.once('error', (error) => {
      options.onError?.(error);
      resolve(undefined);
    });
    server.listen(options.port, options.host, () => {
      // The service's own work keeps the process alive, not its metrics.
      server.unref();
      resolve(server);
    });
  });
}
