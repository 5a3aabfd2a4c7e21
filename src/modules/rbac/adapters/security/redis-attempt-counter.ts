import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Logger, OnModuleDestroy } from '@nestjs/common';
import { Cluster, Redis } from 'ioredis';
import { AttemptCounter } from '../../core/ports/attempt-counter.port';
import { RbacErrors } from '../../core/rbac-errors';

const THROTTLER_NAME = 'signin';

/**
 * Attempt counters in Redis through @nestjs/throttler's maintained Redis storage
 * (@nest-lab/throttler-storage-redis): one Lua script increments a key's count and sets its block
 * atomically, so concurrent attempts on any number of app instances are counted one by one. Keys
 * live under the deployment's QUEUE_PREFIX, so instances that share a queue share their counts.
 * Its own connection, opened on first use (processes that never sign anyone in open none), fails a
 * command after one reconnect attempt instead of queueing it: a sign-in that cannot be counted is
 * refused as unavailable, never let through uncounted.
 */
export class RedisAttemptCounter implements AttemptCounter, OnModuleDestroy {
  private readonly logger = new Logger(RedisAttemptCounter.name);
  private readonly storage: ThrottlerStorageRedisService;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix: string,
  ) {
    // Two overloads, one per client kind; the storage uses either alike.
    this.storage = redis instanceof Cluster ? new ThrottlerStorageRedisService(redis) : new ThrottlerStorageRedisService(redis);
  }

  async take(key: string, max: number, windowMs: number): Promise<boolean> {
    try {
      const record = await this.storage.increment(`${this.prefix}:${key}`, windowMs, max, windowMs, THROTTLER_NAME);
      return !record.isBlocked;
    } catch (error) {
      this.logger.warn(`Sign-in attempt not counted, refused: ${(error as Error).message}`);
      throw RbacErrors.signInUnavailable();
    }
  }

  onModuleDestroy(): void {
    // The client is ours (the storage only disconnects clients it built itself).
    this.redis.disconnect();
  }
}
