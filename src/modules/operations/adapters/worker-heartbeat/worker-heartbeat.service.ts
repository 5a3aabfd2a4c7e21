import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { AppConfig } from '../../../../shared/adapters/config/app-config';
import { APP_CONFIG } from '../../../../shared/adapters/config/app-config.token';

export const WORKER_HEARTBEAT_EVERY_MS = 10_000;
/** A worker is considered present when it reported within three heartbeat intervals. */
export const WORKER_HEARTBEAT_FRESH_S = 30;

export interface WorkerHeartbeatStatus {
  /** Seconds since this instance's own heartbeat; null when it has none. */
  ownAgeS: number | null;
  /** Workers of the fleet (this one included) that reported within WORKER_HEARTBEAT_FRESH_S. */
  freshWorkers: number;
  /** Seconds since the freshest heartbeat of any worker; null when none exists. */
  freshestAgeS: number | null;
}

/**
 * Processes with the worker role record that they are alive in PostgreSQL: a worker's readiness
 * rests on its own heartbeat, and any process (a web-only one too) reports the fleet's workers.
 */
@Injectable()
export class WorkerHeartbeatService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WorkerHeartbeatService.name);
  private readonly instanceId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly startedAt = new Date();
  private timer?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly em: EntityManager,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.roles.includes('worker')) return;
    await this.beat();
    this.timer = setInterval(() => void this.beat(), WORKER_HEARTBEAT_EVERY_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (!this.config.roles.includes('worker')) return;
    await this.em
      .getConnection()
      .execute('delete from worker_heartbeats where instance_id = ?', [this.instanceId], 'run')
      .catch(() => undefined);
  }

  /**
   * This instance's own heartbeat and the fleet's, in one statement: a worker is ready on its own
   * heartbeat only, while every instance reports how many workers the fleet has.
   */
  async status(): Promise<WorkerHeartbeatStatus> {
    const [row] = await this.em.getConnection().execute<
      { own_age_s: string | null; fresh_workers: string; freshest_age_s: string | null }[]
    >(
      `select extract(epoch from now() - max(last_seen_at) filter (where instance_id = ?)) as own_age_s,
              count(*) filter (where last_seen_at >= now() - make_interval(secs => ?)) as fresh_workers,
              extract(epoch from now() - max(last_seen_at)) as freshest_age_s
         from worker_heartbeats`,
      [this.instanceId, WORKER_HEARTBEAT_FRESH_S],
      'all',
    );
    const seconds = (value: string | null | undefined) => (value == null ? null : Number(value));
    return {
      ownAgeS: seconds(row?.own_age_s),
      freshWorkers: Number(row?.fresh_workers ?? 0),
      freshestAgeS: seconds(row?.freshest_age_s),
    };
  }

  private async beat(): Promise<void> {
    try {
      await this.em.getConnection().execute(
        `insert into worker_heartbeats (instance_id, hostname, pid, roles, started_at, last_seen_at)
         values (?, ?, ?, ?, ?, now())
         on conflict (instance_id) do update set last_seen_at = now()`,
        [this.instanceId, hostname(), process.pid, this.config.roles.join(','), this.startedAt],
        'run',
      );
    } catch (error) {
      this.logger.warn(`Could not record the worker heartbeat: ${(error as Error).message}`);
    }
  }
}
