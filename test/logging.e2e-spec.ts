import { ServiceProcesses, TEST_ORGANISER_TOKEN, waitFor } from '@einlass/testing';

/**
 * What a service writes about the requests it answers: one JSON line each, saying what was asked
 * and how it was answered, and never the bearer token that came with it.
 */
describe('request logs', () => {
  const services = new ServiceProcesses(5301, { LOG_LEVEL: 'info' });

  beforeAll(() => services.start('checkin'), 60_000);
  afterAll(() => services.stopAll());

  it('log each request as a JSON line without its bearer token', async () => {
    const url = services.url('checkin');
    const me = await fetch(`${url}/api/me`, {
      headers: { authorization: `Bearer ${TEST_ORGANISER_TOKEN}` },
    });
    expect(me.status).toBe(200);
    const refused = await fetch(`${url}/api/me`, {
      headers: { authorization: 'Bearer not-a-token-of-this-system-123' },
    });
    expect(refused.status).toBe(401);

    const lines = await waitFor('both requests in the log', () => {
      const logged = services
        .log('checkin')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, any>)
        .filter((entry) => entry.req?.url === '/api/me' && entry.res);
      return Promise.resolve(logged.length >= 2 ? logged : undefined);
    });
    expect(lines[0]).toMatchObject({
      name: 'checkin',
      req: { method: 'GET', url: '/api/me' },
      res: { statusCode: 200 },
    });
    expect(lines[0].responseTime).toEqual(expect.any(Number));
    expect(lines[1]).toMatchObject({ level: 40, res: { statusCode: 401 } });
    const log = services.log('checkin');
    expect(log).not.toContain(TEST_ORGANISER_TOKEN);
    expect(log).not.toContain('not-a-token-of-this-system-123');
  });
});
