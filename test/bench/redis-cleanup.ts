import IORedis from 'ioredis';
import { redisOptionsFromUrl } from '../../src/shared/adapters/redis-connection';
import { TEST_REDIS_URL } from '../support/test-env';

/**
 * Deletes every key under a bench queue prefix. A child closing normally obliterates its own
 * queue; this catches what a killed or crashed child left in the shared Redis.
 */
export async function removeQueueKeys(prefix: string): Promise<number> {
  if (!/^opsdeck_bench_[0-9a-f]+(_pgbouncer|_fleet)?$/.test(prefix)) throw new Error(`refusing to delete keys under "${prefix}": not a bench prefix`);
  const redis = new IORedis({ ...redisOptionsFromUrl(TEST_REDIS_URL), lazyConnect: true, maxRetriesPerRequest: 1 });
  let removed = 0;
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length) removed += await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return removed;
}
