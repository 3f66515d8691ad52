import { spawn } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { freePort } from '@einlass/testing';

/** `npm run seed` (issue 11, finding 5): the organiser token goes where registration is configured. */
describe('npm run seed', () => {
  const seed = join(__dirname, 'seed.ts');
  const root = join(__dirname, '..', '..', '..', '..');

  /** A stand-in registration that has an event already; the seed then only asks. */
  async function registrationStandIn() {
    const seen: { url?: string; headers: IncomingHttpHeaders }[] = [];
    const server = createServer((request, response) => {
      seen.push({ url: request.url, headers: request.headers });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('[{"slug":"tegk-2023"}]');
    });
    const port = await freePort();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return { port, seen, close: () => new Promise((resolve) => server.close(resolve)) };
  }

  const runSeed = (env: Record<string, string>) =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', seed],
        {
          cwd: root,
          env: {
            PATH: process.env.PATH ?? '',
            ORGANISER_TOKEN: 'seed-test-token-0123456789',
            ...env,
          },
        },
      );
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('exit', (code) => resolve({ code, output }));
    });

  it('sends the organiser token to REGISTRATION_PORT', async () => {
    const standIn = await registrationStandIn();
    try {
      const { code, output } = await runSeed({ REGISTRATION_PORT: String(standIn.port) });
      expect(output).toContain('already there; nothing loaded');
      expect(code).toBe(0);
      expect(standIn.seen).toEqual([
        expect.objectContaining({
          url: '/api/events',
          headers: expect.objectContaining({ authorization: 'Bearer seed-test-token-0123456789' }),
        }),
      ]);
    } finally {
      await standIn.close();
    }
  }, 30_000);

  it('prefers REGISTRATION_URL, and refuses a REGISTRATION_PORT that is no port', async () => {
    const standIn = await registrationStandIn();
    try {
      const { code } = await runSeed({
        REGISTRATION_URL: `http://127.0.0.1:${standIn.port}/`,
        REGISTRATION_PORT: '1',
      });
      expect(code).toBe(0);
      expect(standIn.seen).toHaveLength(1);
      const bad = await runSeed({ REGISTRATION_PORT: 'dreitausend' });
      expect(bad.code).toBe(1);
      expect(bad.output).toContain('REGISTRATION_PORT must be a port number');
    } finally {
      await standIn.close();
    }
  }, 30_000);
});
