import { createServer } from 'node:net';

/** Listens on `port` of 127.0.0.1 (0: any free one) and lets go; the port, or undefined if taken. */
function listenBriefly(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const listened = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolve(listened));
    });
  });
}

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  const port = await listenBriefly(0);
  if (port === undefined) throw new Error('no free port on 127.0.0.1');
  return port;
}

/** Whether nothing listens on `port` of the loopback interface. */
export async function isPortFree(port: number): Promise<boolean> {
  return (await listenBriefly(port)) !== undefined;
}
