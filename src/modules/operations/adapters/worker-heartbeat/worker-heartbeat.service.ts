import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { AppConfig } from '../../../../shared/adapters/config/app-config';
import { APP_CONFIG } from '../../../../shared/adapters/config/app-config.token';

export const WORKER_HEARTBEAT_EVERY_MS = 10_000;
/** A worker is considered present when it reported within three heartbeat intervals. */
export const WORKER_HEARTBEAT_FRESH_S = 30;

/**
 * Processes with the worker role record that they are alive in PostgreSQL, so any process
 * (a web-only one too) can tell readiness and operators can see which workers exist.
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

  /** Seconds since the freshest worker heartbeat of any process, or null when none exists. */
  async freshestAgeS(): Promise<number | null> {
    const [row] = await this.em
      .getConnection()
      .execute<{ age: string | null }[]>(
        'select extract(epoch from now() - max(last_seen_at)) as age from worker_heartbeats',
        [],
        'all',
      );
    return row?.age == null ? null : Number(row.age);
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
