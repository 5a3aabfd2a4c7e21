import { BackoffPolicy } from '../operation-type';
import { JobLiveness } from './job-liveness';

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
  /** The state of each run's job; `unreachable` for every id when the queue cannot be asked. */
  inspect(runIds: string[]): Promise<Map<string, JobLiveness>>;
  /** Removes a run's job when it is not locked by a worker; false when it could not be removed. */
  remove(runId: string): Promise<boolean>;
}
