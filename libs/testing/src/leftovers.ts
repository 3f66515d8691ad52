import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './test-env';
import { pdfText } from './tools';

const run = promisify(execFile);

/**
 * Where personal data could be left behind, as text to search: a dump of the whole database (the
 * three services' schemas), every file under the services' data directories (PDFs as their text
 * too: their streams are compressed), and every key in the Redis database of the tests.
 */
export async function everythingStored(
  dataDirectories: string[],
  redisUrl = TEST_REDIS_URL,
): Promise<{
  database: string;
  files: { path: string; text: string }[];
  redis: { key: string; text: string }[];
}> {
  const { stdout: database } = await run(
    'pg_dump',
    [
      '--data-only',
      '--schema=registration',
      '--schema=badges',
      '--schema=checkin',
      TEST_DATABASE_URL,
    ],
    { maxBuffer: 2 * 1024 * 1024 * 1024 },
  );
  const files: { path: string; text: string }[] = [];
  for (const directory of dataDirectories) {
    if (!existsSync(directory)) continue;
    for (const entry of await readdir(directory, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      const bytes = await readFile(path);
      const text =
        bytes.subarray(0, 5).toString() === '%PDF-'
          ? `${bytes.toString('latin1')}\n${await pdfText(bytes).catch(() => '')}`
          : bytes.toString('utf8');
      files.push({ path, text });
    }
  }
  const client = new Redis(redisUrl);
  const redis: { key: string; text: string }[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'COUNT', 1000);
      cursor = next;
      // Two pipelined round trips per thousand keys, not two per key: the test Redis may hold
      // tens of thousands of keys (an import's queued jobs), and all of them are searched.
      const types = await inOnePipeline(client, keys, (pipeline, key) => pipeline.type(key));
      const values = await inOnePipeline(client, keys, (pipeline, key, i) =>
        readValue(pipeline, key, types[i]),
      );
      keys.forEach((key, i) => redis.push({ key, text: valueText(types[i], values[i]) }));
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
  return { database, files, redis };
}

type Pipeline = ReturnType<Redis['pipeline']>;

async function inOnePipeline(
  client: Redis,
  keys: string[],
  command: (pipeline: Pipeline, key: string, i: number) => void,
): Promise<unknown[]> {
  if (keys.length === 0) return [];
  const pipeline = client.pipeline();
  keys.forEach((key, i) => command(pipeline, key, i));
  // A key gone between SCAN and the read reads as empty.
  return ((await pipeline.exec()) ?? []).map(([error, value]) => (error ? null : value));
}

function readValue(pipeline: Pipeline, key: string, type: unknown): void {
  switch (type) {
    case 'string':
      pipeline.get(key);
      break;
    case 'hash':
      pipeline.hgetall(key);
      break;
    case 'list':
      pipeline.lrange(key, 0, -1);
      break;
    case 'set':
      pipeline.smembers(key);
      break;
    case 'zset':
      pipeline.zrange(key, 0, -1);
      break;
    case 'stream':
      pipeline.xrange(key, '-', '+');
      break;
    default:
      pipeline.echo(''); // keeps the answers in step with the keys
  }
}

function valueText(type: unknown, value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' && type === 'string' ? value : JSON.stringify(value);
}

/** Every place in `stored` that holds one of `needles` (case-insensitive): empty when none. */
export function placesHolding(
  stored: Awaited<ReturnType<typeof everythingStored>>,
  needles: string[],
): string[] {
  const found: string[] = [];
  const check = (where: string, text: string) => {
    const lower = text.toLowerCase();
    for (const needle of needles) {
      const at = lower.indexOf(needle.toLowerCase());
      if (at >= 0)
        found.push(`${where}: "${needle}" in …${text.slice(Math.max(0, at - 120), at + 60)}…`);
    }
  };
  check('database', stored.database);
  for (const file of stored.files) check(`file ${file.path}`, file.text);
  for (const entry of stored.redis) check(`redis ${entry.key}`, entry.text);
  return found;
}
