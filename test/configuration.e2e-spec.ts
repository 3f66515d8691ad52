import { spawnSync } from 'node:child_process';
import { builtEntry, SERVICE_NAMES } from '@einlass/testing';

/** A service with a missing or malformed variable refuses to start and names the variable. */
describe('configuration at start-up', () => {
  const start = (name: string, env: Record<string, string>) =>
    spawnSync(process.execPath, [builtEntry(name as never)], {
      env: { PATH: process.env.PATH ?? '', ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });

  it.each(SERVICE_NAMES)('%s names the missing variables and exits with 78', (name) => {
    const result = start(name, {});
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('DATABASE_URL is required');
    expect(result.stderr).toContain('REDIS_URL is required');
  });

  it('names a malformed variable', () => {
    const result = start('checkin', {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/einlass_test',
      REDIS_URL: 'redis://127.0.0.1:6379/1',
      CHECKIN_PORT: 'dreitausend',
      CHECKIN_PROCESSES: '0',
      ORGANISER_TOKEN: 'short',
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toMatch(/CHECKIN_PORT/);
    expect(result.stderr).toMatch(/CHECKIN_PROCESSES/);
    expect(result.stderr).toMatch(/ORGANISER_TOKEN must be at least 16 characters/);
  });
});
