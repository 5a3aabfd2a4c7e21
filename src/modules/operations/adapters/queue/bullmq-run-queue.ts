import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { RunJobRequest, RunQueue } from '../../core/ports/run-queue.port';
import { RunJobData } from './run-correlation';
import { RUN_QUEUE_CONNECTION, RUN_QUEUE_NAME } from './run-queue.constants';

const ENQUEUE_TIMEOUT_MS = 3000;

@Injectable()
export class BullMqRunQueue implements RunQueue {
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
}
