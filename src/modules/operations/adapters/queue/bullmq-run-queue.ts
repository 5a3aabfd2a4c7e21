import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { releaseRedisConnection } from '../../../../shared/adapters/redis-connection';
import { JobLiveness } from '../../core/ports/job-liveness';
import { RunJobRequest, RunQueue } from '../../core/ports/run-queue.port';
import { BullMqJobState, inspectJobs } from './bullmq-job-inspection';
import { RunJobData } from './run-correlation';
import { RUN_QUEUE_CONNECTION, RUN_QUEUE_NAME } from './run-queue.constants';

const ENQUEUE_TIMEOUT_MS = 3000;
const INSPECT_TIMEOUT_MS = 5000;
const CLOSE_SETTLE_MS = 1000;

@Injectable()
export class BullMqRunQueue implements RunQueue, OnModuleDestroy, OnApplicationShutdown {
  readonly queueName = RUN_QUEUE_NAME;
  readonly connectionName = RUN_QUEUE_CONNECTION;

  private readonly logger = new Logger(BullMqRunQueue.name);
  private lastErrorLogAt = 0;

  constructor(@InjectQueue(RUN_QUEUE_NAME) private readonly queue: Queue<RunJobData>) {
    // Without a listener an unreachable Redis would crash the process via an 'error' event.
    this.queue.on('error', (error) => {
      if (Date.now() - this.lastErrorLogAt < 10_000) return;
      this.lastErrorLogAt = Date.now();
      this.logger.warn(`Run queue connection problem: ${error.message}`);
    });
  }

  async enqueue(request: RunJobRequest): Promise<void> {
    const added = this.queue.add(
      request.type,
      { operationRunId: request.runId },
      {
        jobId: request.runId,
        attempts: request.maxAttempts,
        backoff: { type: request.backoff.type, delay: request.backoff.delay_s * 1000 },
        removeOnComplete: { age: 24 * 3600, count: 10000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      },
    );
    // An unreachable Redis must fail the dispatch promptly instead of holding the request.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Queue did not accept the job within ${ENQUEUE_TIMEOUT_MS}ms`)), ENQUEUE_TIMEOUT_MS);
    });
    added.catch(() => undefined);
    try {
      await Promise.race([added, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Closing while the connection is still starting would leave BullMQ's start-up error with no
   * listener (an unhandled rejection that kills short-lived processes such as the CLI): give
   * the connection a bounded moment to settle first.
   */
  async onModuleDestroy(): Promise<void> {
    await withTimeout(this.queue.waitUntilReady().then(() => undefined), CLOSE_SETTLE_MS).catch(() => undefined);
  }

  /**
   * The queue's connection is BullModule.forRoot's, and on a Cluster a client BullMQ will not
   * close (redis-connection.ts, releaseRedisConnection): closed here, after the queue (closing
   * twice is a no-op, whichever shutdown hook runs first).
   */
  async onApplicationShutdown(): Promise<void> {
    await this.queue.close().catch(() => undefined);
    releaseRedisConnection(this.queue.opts.connection);
  }

  async inspect(runIds: string[]): Promise<Map<string, JobLiveness>> {
    try {
      const states = await withTimeout(this.livenessOfMany(runIds), INSPECT_TIMEOUT_MS);
      return new Map(runIds.map((id, i) => [id, states[i]]));
    } catch (error) {
      this.logger.warn(`Could not inspect jobs: ${(error as Error).message}`);
      return new Map(runIds.map((id) => [id, 'unreachable' as const]));
    }
  }

  async remove(runId: string): Promise<boolean> {
    try {
      const job = await this.queue.getJob(runId);
      if (!job) return true;
      await job.remove();
      return true;
    } catch {
      // A job locked by a worker cannot be removed; its run is terminal, so the wrapper skips it.
      return false;
    }
  }

  /** The reconciler's liveness of many jobs: one Redis script per chunk (bullmq-job-inspection.ts). */
  private async livenessOfMany(runIds: string[]): Promise<JobLiveness[]> {
    const inspections = await inspectJobs(this.queue, runIds);
    return inspections.map(({ state, locked }) => livenessOf(state, locked));
  }
}

/** BullMQ's state (getState's answer) to the reconciler's liveness. */
function livenessOf(state: BullMqJobState, locked: boolean): JobLiveness {
  switch (state) {
    case 'active':
      return locked ? 'active_locked' : 'active_unlocked';
    case 'delayed':
      return 'delayed_retry';
    case 'waiting':
    case 'prioritized':
    case 'waiting-children':
      return 'waiting';
    case 'completed':
      return 'completed';
    case 'failed':
      return 'failed';
    default:
      return 'missing';
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms}ms`)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
