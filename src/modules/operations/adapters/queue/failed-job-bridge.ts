import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { DomainError } from '../../../../shared/core/domain-error';
import { OperationRunService } from '../../core/operation-run.service';
import { errorInfo, QueueFailureReason } from '../../core/operation-run.requests';
import { resolveRunId } from './run-correlation';

const STALLED = /stalled more than allowable limit/i;

/**
 * When the queue gives up on a job for the last time (attempts exhausted, unrecoverable error,
 * timeout, stalled too often), the run completes `failed` with an operator-safe reason. The raw
 * error goes to diagnostics only.
 */
@Injectable()
export class FailedJobBridge {
  private readonly logger = new Logger(FailedJobBridge.name);

  constructor(@Inject(OperationRunService) private readonly service: OperationRunService) {}

  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    if (!job) return;
    const runId = resolveRunId(job);
    if (!runId || !isFinalFailure(job, error)) return;
    const cause = rootCause(error);
    const { reason, message } = classify(cause, job);
    const run = await this.service.failFromQueue(runId, reason, errorInfo(cause), message);
    if (run) this.logger.warn(`Run ${runId} failed: ${reason}.`);
  }
}

export function isFinalFailure(job: Pick<Job, 'attemptsMade' | 'opts'>, error: Error): boolean {
  return (
    error.name === 'UnrecoverableError' ||
    STALLED.test(error.message) ||
    job.attemptsMade >= (job.opts.attempts ?? 1)
  );
}

function rootCause(error: Error): Error {
  const cause = (error as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? cause : error;
}

export function classify(
  error: Error,
  job: Pick<Job, 'attemptsMade'>,
): { reason: QueueFailureReason; message: string } {
  if (STALLED.test(error.message)) {
    return { reason: 'worker_lost', message: 'The worker processing this run stopped responding.' };
  }
  if (error.name === 'JobTimeoutError') {
    return { reason: 'job_timeout', message: `${error.message.replace(/\.$/, '')} and was stopped.` };
  }
  if (error instanceof DomainError) return { reason: 'job_failed', message: error.message };
  const attempts = Math.max(1, job.attemptsMade);
  return {
    reason: 'job_failed',
    message: `The run failed after ${attempts} attempt${attempts === 1 ? '' : 's'}. Details are in the diagnostics.`,
  };
}
