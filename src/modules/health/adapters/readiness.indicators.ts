import { MikroORM } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import type { Cluster, Redis } from 'ioredis';
import {
  WORKER_HEARTBEAT_FRESH_S,
  WorkerHeartbeatService,
  WorkerHeartbeatStatus,
} from '../../operations/adapters/worker-heartbeat/worker-heartbeat.service';
import { AppConfig } from '../../../shared/adapters/config/app-config';
import { APP_CONFIG } from '../../../shared/adapters/config/app-config.token';
import { redisClientFor } from '../../../shared/adapters/redis-connection';

const CHECK_TIMEOUT_MS = 2000;

/** Readiness checks; each reports a short operator-safe reason when down, never a stack. */
@Injectable()
export class ReadinessIndicators implements OnModuleDestroy {
  private readonly redis: Redis | Cluster;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly health: HealthIndicatorService,
    private readonly em: EntityManager,
    private readonly orm: MikroORM,
    private readonly workers: WorkerHeartbeatService,
  ) {
    // A dedicated client that fails fast: readiness must answer, not queue commands.
    this.redis = redisClientFor(config, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: CHECK_TIMEOUT_MS,
      retryStrategy: () => null,
    });
    this.redis.on('error', () => undefined);
  }

  async database(): Promise<HealthIndicatorResult> {
    const check = this.health.check('database');
    try {
      await withTimeout(this.em.getConnection().execute('select 1', [], 'all'));
      return check.up();
    } catch {
      return check.down({ message: 'PostgreSQL is unreachable' });
    }
  }

  async redisPing(): Promise<HealthIndicatorResult> {
    const check = this.health.check('redis');
    try {
      if (this.redis.status !== 'ready') {
        // Half-open states are reset first; a client never opened ('wait') or closed ('end') just
        // connects (a Cluster client disconnected from 'wait' would refuse every startup node).
        if (this.redis.status !== 'wait' && this.redis.status !== 'end') this.redis.disconnect();
        await withTimeout(this.redis.connect());
      }
      await withTimeout(this.redis.ping());
      return check.up();
    } catch {
      return check.down({ message: 'Redis is unreachable' });
    }
  }

  async migrations(): Promise<HealthIndicatorResult> {
    const check = this.health.check('migrations');
    try {
      const pending = await withTimeout(this.orm.getMigrator().getPendingMigrations());
      return pending.length
        ? check.down({ message: `${pending.length} migration(s) not applied`, pending: pending.map((m) => m.name) })
        : check.up();
    } catch {
      return check.down({ message: 'Could not read the migration state' });
    }
  }

  /** One read of the heartbeats, shared by `ownWorker` and `fleetWorkers` of one readiness report. */
  heartbeats(): Promise<WorkerHeartbeatStatus> {
    const read = withTimeout(this.workers.status());
    read.catch(() => undefined);
    return read;
  }

  /** This worker instance's own heartbeat: another instance's says nothing about this one. */
  async ownWorker(heartbeats: Promise<WorkerHeartbeatStatus>): Promise<HealthIndicatorResult> {
    const check = this.health.check('worker');
    try {
      const { ownAgeS } = await heartbeats;
      if (ownAgeS !== null && ownAgeS <= WORKER_HEARTBEAT_FRESH_S) return check.up({ last_heartbeat_age_s: Math.round(ownAgeS) });
      return check.down({ message: `This instance recorded no worker heartbeat in the last ${WORKER_HEARTBEAT_FRESH_S}s` });
    } catch {
      return check.down({ message: 'Could not read worker heartbeats' });
    }
  }

  /** Workers anywhere in the fleet that heartbeat within the freshness window. */
  async fleetWorkers(heartbeats: Promise<WorkerHeartbeatStatus>): Promise<HealthIndicatorResult> {
    const check = this.health.check('fleet_workers');
    try {
      const { freshWorkers, freshestAgeS } = await heartbeats;
      const age = freshestAgeS === null ? null : Math.round(freshestAgeS);
      if (freshWorkers > 0) return check.up({ fresh: freshWorkers, last_heartbeat_age_s: age });
      return check.down({
        message: `No worker heartbeat in the last ${WORKER_HEARTBEAT_FRESH_S}s`,
        fresh: 0,
        last_heartbeat_age_s: age,
      });
    } catch {
      return check.down({ message: 'Could not read worker heartbeats' });
    }
  }

  onModuleDestroy(): void {
    this.redis.disconnect();
  }
}

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
