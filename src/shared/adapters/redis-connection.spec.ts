import { redisOptionsFor } from './redis-connection';

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
