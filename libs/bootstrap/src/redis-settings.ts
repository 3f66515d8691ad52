/**
 * What the services need of Redis to lose nothing by themselves: never evict (`noeviction`: a full
 * Redis refuses new jobs, which then wait in the outbox, instead of dropping queued ones) and
 * persistence (an append-only file, or at least RDB snapshots), so a restart keeps the queues.
 * Without them the services still repair losses (README, "Nothing is lost"), so this is a warning,
 * never a refusal: the development set-up runs without persistence.
 */
export interface RedisSettings {
  /** `maxmemory-policy`, or null when Redis would not tell. */
  maxmemoryPolicy: string | null;
  /** Whether the append-only file is on, or null when unknown. */
  appendonly: boolean | null;
  /** The RDB `save` rules (empty: no snapshots), or null when unknown. */
  save: string | null;
}

export function redisSettingsWarnings(settings: RedisSettings): string[] {
  const warnings: string[] = [];
  if (settings.maxmemoryPolicy !== null && settings.maxmemoryPolicy !== 'noeviction') {
    warnings.push(
      `Redis maxmemory-policy is "${settings.maxmemoryPolicy}", not "noeviction": when memory runs out, Redis may evict queued messages (set maxmemory-policy noeviction)`,
    );
  }
  if (settings.appendonly === false && settings.save !== null && settings.save.trim() === '') {
    warnings.push(
      'Redis keeps no persistence (appendonly no, no save rules): a restart empties every queue (set appendonly yes)',
    );
  }
  return warnings;
}

/** Reads the settings with CONFIG GET, or from INFO where CONFIG is disabled (managed Redis). */
export async function readRedisSettings(redis: {
  call(command: string, ...args: string[]): Promise<unknown>;
}): Promise<RedisSettings> {
  const config = async (name: string): Promise<string | null> => {
    try {
      const answer = (await redis.call('CONFIG', 'GET', name)) as string[];
      return answer.length >= 2 ? answer[1] : null;
    } catch {
      return null;
    }
  };
  let maxmemoryPolicy = await config('maxmemory-policy');
  const appendonlyText = await config('appendonly');
  const save = await config('save');
  let appendonly = appendonlyText === null ? null : appendonlyText === 'yes';
  if (maxmemoryPolicy === null || appendonly === null) {
    const info = (await redis.call('INFO')) as string;
    const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
    maxmemoryPolicy ??= field('maxmemory_policy') ?? null;
    const aof = field('aof_enabled');
    if (appendonly === null && aof !== undefined) appendonly = aof === '1';
  }
  return { maxmemoryPolicy, appendonly, save };
}
