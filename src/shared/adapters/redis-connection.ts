import type { RedisOptions } from 'ioredis';

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
}

/**
 * ioredis options for every Redis use (queues, workers, liveness checks, sign-in limiter, readiness).
 * With sentinels, ioredis asks them for the current master and follows a failover by itself;
 * REDIS_URL still gives the credentials, TLS and database number.
 */
export function redisOptionsFor(target: RedisTarget): RedisOptions {
  const fromUrl = redisOptionsFromUrl(target.redisUrl);
  if (!target.redisSentinels.length) return fromUrl;
  const { host: _host, port: _port, ...rest } = fromUrl;
  return { ...rest, sentinels: target.redisSentinels, name: target.redisSentinelName ?? undefined };
}
