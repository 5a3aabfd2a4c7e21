import { Cluster } from 'ioredis';
import { CLUSTER_FAILOVER_OPTIONS, queuePrefixFor, redisConnectionFor, redisOptionsFor, releaseRedisConnection } from './redis-connection';

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

  it('retries a command through a failover: its redirection budget outlasts Redis\'s default cluster-node-timeout', () => {
    const c = redisConnectionFor({ ...cluster, redisClusterNodes: [{ host: 'r1', port: 7000 }] }) as Cluster;
    expect(c.options).toMatchObject(CLUSTER_FAILOVER_OPTIONS);
    // ioredis's rule (README): retryDelayOnFailover × maxRedirections > cluster-node-timeout (15 000 ms by default),
    // with room for the replica's election and two redirections per retry while the master is dead.
    expect(c.options.retryDelayOnFailover! * c.options.maxRedirections!).toBeGreaterThanOrEqual(2 * 15_000);
    expect(c.options.retryDelayOnClusterDown).toBeGreaterThan(0);
    // Duplicates (BullMQ's blocking connections) keep the same budget.
    const copy = c.duplicate();
    expect(copy.options).toMatchObject(CLUSTER_FAILOVER_OPTIONS);
    copy.disconnect();
    c.disconnect();
  });

  it('is closed on release (BullMQ leaves a client it was handed open); options need no release', () => {
    const c = redisConnectionFor({ ...cluster, redisClusterNodes: [{ host: 'r1', port: 7000 }] }) as Cluster;
    releaseRedisConnection(c);
    expect(c.status).toBe('end');
    expect(() => releaseRedisConnection(redisConnectionFor({ ...cluster, redisClusterNodes: [] }))).not.toThrow();
  });
});
