import { BackoffPolicy } from '../operation-type';

export const RUN_QUEUE = Symbol('RUN_QUEUE');

export interface RunJobRequest {
  runId: string;
  type: string;
  maxAttempts: number;
  backoff: BackoffPolicy;
}

export interface RunQueue {
  /** Names written into `context.dispatch` so a run can always be correlated to its job. */
  readonly queueName: string;
  readonly connectionName: string;
  /** Enqueues the job whose id is the run id; rejects when the queue is unreachable. */
  enqueue(request: RunJobRequest): Promise<void>;
}
