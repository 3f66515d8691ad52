import { readRedisSettings, redisSettingsWarnings } from './redis-settings';

describe('Redis settings', () => {
  const safe = { maxmemoryPolicy: 'noeviction', appendonly: true, save: '' };

  it('finds nothing to say about noeviction with an append-only file', () => {
    expect(redisSettingsWarnings(safe)).toEqual([]);
  });

  it('accepts RDB snapshots as persistence', () => {
    expect(redisSettingsWarnings({ ...safe, appendonly: false, save: '3600 1 300 100' })).toEqual(
      [],
    );
  });

  it('warns of an eviction policy, naming it', () => {
    const [warning] = redisSettingsWarnings({ ...safe, maxmemoryPolicy: 'allkeys-lru' });
    expect(warning).toMatch(/maxmemory-policy is "allkeys-lru", not "noeviction"/);
  });

  it('warns when Redis keeps nothing over a restart', () => {
    const [warning] = redisSettingsWarnings({ ...safe, appendonly: false, save: '' });
    expect(warning).toMatch(/no persistence/);
  });

  it('says nothing it does not know', () => {
    expect(redisSettingsWarnings({ maxmemoryPolicy: null, appendonly: null, save: null })).toEqual(
      [],
    );
  });

  it('reads INFO where CONFIG is disabled', async () => {
    const redis = {
      call: (command: string) =>
        command === 'CONFIG'
          ? Promise.reject(new Error('ERR unknown command CONFIG'))
          : Promise.resolve(
              '# Memory\r\nmaxmemory_policy:volatile-lru\r\n# Persistence\r\naof_enabled:0\r\n',
            ),
    };
    expect(await readRedisSettings(redis)).toEqual({
      maxmemoryPolicy: 'volatile-lru',
      appendonly: false,
      save: null,
    });
  });
});
