import { ConfigurationError, parseEnvironment } from './environment';

const valid = {
  DATABASE_URL: 'postgres://u@localhost:5432/db',
  REDIS_URL: 'redis://localhost:6379',
};

describe('parseEnvironment', () => {
  it('accepts a minimal environment and fills in defaults', () => {
    const env = parseEnvironment(valid);
    expect(env.REGISTRATION_PORT).toBe(3001);
    expect(env.CHECKIN_PORT).toBe(3003);
    expect(env.RUN_MIGRATIONS).toBe(true);
  });

  it('names every missing variable', () => {
    expect(() => parseEnvironment({})).toThrow(ConfigurationError);
    try {
      parseEnvironment({});
    } catch (error) {
      expect((error as ConfigurationError).problems).toEqual([
        'DATABASE_URL is required',
        'REDIS_URL is required',
      ]);
    }
  });

  it('names a malformed variable and says what it must be', () => {
    const attempt = () =>
      parseEnvironment({ ...valid, BADGES_PORT: 'eighty', REDIS_URL: 'localhost:6379' });
    expect(attempt).toThrow(/BADGES_PORT/);
    expect(attempt).toThrow(/REDIS_URL must be a URL starting with redis:\/\/ or rediss:\/\//);
  });

  it('refuses an organiser token too short to be secret', () => {
    expect(() => parseEnvironment({ ...valid, ORGANISER_TOKEN: 'secret' })).toThrow(
      /ORGANISER_TOKEN must be at least 16/,
    );
  });

  it('treats empty variables as unset', () => {
    expect(parseEnvironment({ ...valid, ORGANISER_TOKEN: '' }).ORGANISER_TOKEN).toBeUndefined();
  });

  it('gives each service a metrics port of its own, 0 turning it off', () => {
    const env = parseEnvironment(valid);
    expect([
      env.REGISTRATION_METRICS_PORT,
      env.BADGES_METRICS_PORT,
      env.CHECKIN_METRICS_PORT,
    ]).toEqual([9101, 9102, 9103]);
    expect(env.METRICS_HOST).toBe('127.0.0.1');
    expect(parseEnvironment({ ...valid, CHECKIN_METRICS_PORT: '0' }).CHECKIN_METRICS_PORT).toBe(0);
  });

  it('refuses a malformed metrics port, and one that is another port already', () => {
    for (const value of ['nine', '-1', '70000', '91.5']) {
      expect(() => parseEnvironment({ ...valid, CHECKIN_METRICS_PORT: value })).toThrow(
        /CHECKIN_METRICS_PORT must be a port number \(0 turns metrics off\)/,
      );
    }
    expect(() => parseEnvironment({ ...valid, BADGES_METRICS_PORT: '3003' })).toThrow(
      /BADGES_METRICS_PORT 3003 is also CHECKIN_PORT/,
    );
    expect(() =>
      parseEnvironment({
        ...valid,
        REGISTRATION_METRICS_PORT: '9200',
        BADGES_METRICS_PORT: '9200',
      }),
    ).toThrow(/REGISTRATION_METRICS_PORT 9200 is also BADGES_METRICS_PORT/);
  });
});
