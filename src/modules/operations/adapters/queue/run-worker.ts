import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Worker } from 'bullmq';
import { AppConfig } from '../../../../shared/adapters/config/app-config';
import { APP_CONFIG } from '../../../../shared/adapters/config/app-config.token';
import { queuePrefixFor, redisConnectionFor, releaseRedisConnection } from '../../../../shared/adapters/redis-connection';
import { FailedJobBridge } from './failed-job-bridge';
import { RunProcessorHost } from './run-processor-host';
import { RUN_QUEUE_NAME } from './run-queue.constants';

/**
 * The BullMQ worker of this process, started only with the `worker` role. Built by hand rather
 * than with `@Processor` because lock and stall timings come from validated configuration, the
 * same numbers the lifecycle-policy validator checked at boot.
 */
@Injectable()
export class RunWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RunWorker.name);
  private worker?: Worker;
  private connection?: ReturnType<typeof redisConnectionFor>;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly host: RunProcessorHost,
    private readonly bridge: FailedJobBridge,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.roles.includes('worker')) return;
    this.connection = redisConnectionFor(this.config, { maxRetriesPerRequest: null });
    this.worker = new Worker(RUN_QUEUE_NAME, (job, token) => this.host.process(job, token), {
      connection: this.connection,
      prefix: queuePrefixFor(this.config),
      concurrency: this.config.workerConcurrency,
      lockDuration: this.config.queueLockDurationMs,
      stalledInterval: this.config.queueStalledIntervalMs,
      maxStalledCount: 1,
    });
    this.worker.on('failed', (job, error) => this.track(this.bridge.onFailed(job, error)));
    this.worker.on('error', (error) => this.logger.error(`Worker error: ${error.message}`));
  }

  get running(): boolean {
    return !!this.worker?.isRunning();
  }

  /**
   * Graceful drain (SIGTERM): stop taking jobs, let running handlers finish for SHUTDOWN_GRACE_S,
   * then hand back what is still running (another worker resumes it with a new attempt), and wait
   * for the failed-job bridge's last writes.
   */
  async onModuleDestroy(): Promise<void> {
    if (this.worker) {
      const closed = this.worker.close();
      let timer: NodeJS.Timeout | undefined;
      const inGrace = await Promise.race([
        closed.then(() => true),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), this.config.shutdownGraceS * 1000))),
      ]);
      clearTimeout(timer);
      if (!inGrace) {
        const handedBack = this.host.handBackAll();
        this.logger.warn(`Shutdown grace of ${this.config.shutdownGraceS} s over: handing back ${handedBack} running run(s).`);
        await closed;
      }
      releaseRedisConnection(this.connection);
    }
    await Promise.allSettled([...this.pending]);
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch((error) => this.logger.error(`Failed-job bridge error: ${error?.message}`));
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
  }
}
