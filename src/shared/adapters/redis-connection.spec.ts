import { Cluster } from 'ioredis';
import { queuePrefixFor, redisConnectionFor, redisOptionsFor } from './redis-connection';

describe('redisOptionsFor', () => {
  it('connects to REDIS_URL directly when no sentinel is configured', () => {
    expect(redisOptionsFor({ redisUrl: 'redis://:s3cret@cache:6380/2', redisSentinels: [], redisSentinelName: null })).toEqual({
      host: 'cache',
      port: 6380,
      username: undefined,
      password: 's3cret',
      db: 2,
      tls: undefined,
    });
  });

  it('with sentinels: asks them for the named master, keeping the URL\'s credentials, database and TLS', () => {
    const options = redisOptionsFor({
      redisUrl: 'rediss://app:s3cret@ignored:6379/1',
      redisSentinels: [{ host: 's1', port: 26379 }],
      redisSentinelName: 'opsdeck',
    });
    expect(options).toEqual({ sentinels: [{ host: 's1', port: 26379 }], name: 'opsdeck', username: 'app', password: 's3cret', db: 1, tls: {} });
  });
});

describe('a Redis Cluster', () => {
  const cluster = { redisUrl: 'redis://:pw@ignored:6379/3', redisSentinels: [], redisSentinelName: null, queuePrefix: 'opsdeck' };

  it('hash-tags the queue prefix only on a cluster', () => {
    expect(queuePrefixFor({ ...cluster, redisClusterNodes: [{ host: 'r1', port: 7000 }] })).toBe('{opsdeck}');
    expect(queuePrefixFor({ ...cluster, redisClusterNodes: [] })).toBe('opsdeck');
  });

  it('is a lazy ioredis Cluster over the seed nodes, with the URL password on every node and no database number', () => {
    const connection = redisConnectionFor({ ...cluster, redisClusterNodes: [{ host: 'r1', port: 7000 }] }, { maxRetriesPerRequest: null });
    expect(connection).toBeInstanceOf(Cluster);
    const c = connection as Cluster;
    expect(c.status).toBe('wait');
    expect(c.options.redisOptions).toMatchObject({ password: 'pw', maxRetriesPerRequest: null });
    expect(c.options.redisOptions).not.toHaveProperty('db');
    c.disconnect();
  });
});
