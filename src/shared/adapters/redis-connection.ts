import Redis, { Cluster, RedisOptions } from 'ioredis';

/** ioredis options from a redis:// or rediss:// URL (already validated by app config). */
export function redisOptionsFromUrl(url: string): RedisOptions {
  const parsed = new URL(url);
  const db = parsed.pathname && parsed.pathname !== '/' ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: Number.isFinite(db) ? db : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
  };
}

/** Where the app finds Redis: REDIS_URL, or the master a Redis Sentinel set-up names. */
export interface RedisTarget {
  redisUrl: string;
  /** `host:port` of each sentinel; empty: connect to REDIS_URL directly. */
  redisSentinels: { host: string; port: number }[];
  /** The master's name in the sentinels' configuration (REDIS_SENTINEL_NAME). */
  redisSentinelName: string | null;
  /** REDIS_CLUSTER_NODES: seed nodes of a Redis Cluster; empty: not a cluster. */
  redisClusterNodes: { host: string; port: number }[];
  queuePrefix: string;
}

/**
 * BullMQ's key prefix. On a Cluster every key of a queue must hash to one slot (its scripts touch
 * several keys at once, the reconciler's inspection script too), so the prefix is a hash tag:
 * `{opsdeck}`. Elsewhere it stays as configured (changing it would strand queued jobs).
 */
export function queuePrefixFor(target: Pick<RedisTarget, 'redisClusterNodes' | 'queuePrefix'>): string {
  return target.redisClusterNodes.length ? `{${target.queuePrefix}}` : target.queuePrefix;
}

/**
 * How a Cluster client rides out a failover. ioredis's defaults give a command about 1.6 s
 * (16 redirections, 100 ms apart) before failing it with "Too many Cluster redirections", far
 * less than a failover takes: the nodes wait `cluster-node-timeout` (15 s by default) before
 * declaring a master failed, then its replica is elected. ioredis's README asks for
 * `retryDelayOnFailover × maxRedirections > cluster-node-timeout`; a dead node costs about two
 * redirections per retry (a MOVED to it, then its closed connection), and with these a command
 * in flight waited out a 21 s failover under the default node timeout. Callers with a deadline of
 * their own (enqueue 3 s, inspection 5 s, readiness 2 s) still answer on time; the worker's lock
 * renewals and job moves land once the replica is promoted instead of failing meanwhile.
 */
export const CLUSTER_FAILOVER_OPTIONS = { retryDelayOnFailover: 300, retryDelayOnClusterDown: 300, maxRedirections: 200 } as const;

/**
 * A client (or, for BullMQ, a connection) for any Redis set-up: one server or Sentinel as options,
 * a Cluster as an ioredis Cluster built from the seed nodes (REDIS_URL's credentials and TLS apply
 * to every node). `extra` tunes the per-node connection (timeouts, retries).
 */
export function redisConnectionFor(target: RedisTarget, extra: RedisOptions = {}): RedisOptions | Cluster {
  if (!target.redisClusterNodes.length) return { ...redisOptionsFor(target), ...extra };
  const { host: _host, port: _port, db: _db, ...perNode } = redisOptionsFromUrl(target.redisUrl);
  // Lazy: BullMQ duplicates the connection it is given for some of its clients, and an original
  // it never uses must not hold sockets (or retry for ever once the cluster is gone).
  return new Cluster(target.redisClusterNodes, { ...CLUSTER_FAILOVER_OPTIONS, redisOptions: { ...perNode, ...extra }, lazyConnect: true });
}

/**
 * Closes a connection made by `redisConnectionFor` once BullMQ is done with it. BullMQ treats a
 * client it is handed as shared: closing a queue or worker leaves it open (and without an error
 * listener), reconnecting for ever once the cluster is gone. Options objects need nothing: BullMQ
 * built and closed those clients itself.
 */
export function releaseRedisConnection(connection: unknown): void {
  if (connection instanceof Cluster) connection.disconnect();
}

/** A client of our own (readiness, limiter): a Redis or a Cluster, the same commands either way. */
export function redisClientFor(target: RedisTarget, extra: RedisOptions = {}): Redis | Cluster {
  const connection = redisConnectionFor(target, extra);
  return connection instanceof Cluster ? connection : new Redis(connection);
}

/**
 * ioredis options for every Redis use (queues, workers, liveness checks, sign-in limiter, readiness).
 * With sentinels, ioredis asks them for the current master and follows a failover by itself;
 * REDIS_URL still gives the credentials, TLS and database number.
 */
export function redisOptionsFor(target: Pick<RedisTarget, 'redisUrl' | 'redisSentinels' | 'redisSentinelName'>): RedisOptions {
  const fromUrl = redisOptionsFromUrl(target.redisUrl);
  if (!target.redisSentinels.length) return fromUrl;
  const { host: _host, port: _port, ...rest } = fromUrl;
  return { ...rest, sentinels: target.redisSentinels, name: target.redisSentinelName ?? undefined };
}
