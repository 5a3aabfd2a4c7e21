import { JobLiveness } from '../../../src/modules/operations/core/ports/job-liveness';
import { RunJobRequest, RunQueue } from '../../../src/modules/operations/core/ports/run-queue.port';

/** Records every enqueued job; `failWith(error)` makes every later enqueue reject (Redis down). */
export class FakeRunQueue implements RunQueue {
  readonly queueName: string;
  readonly connectionName: string;
  readonly enqueued: RunJobRequest[] = [];
  private failure: Error | null = null;

  constructor(queueName = 'operation-runs', connectionName = 'redis') {
    this.queueName = queueName;
    this.connectionName = connectionName;
  }

  failWith(error: Error = new Error('connect ECONNREFUSED 127.0.0.1:6379')): void {
    this.failure = error;
  }

  recover(): void {
    this.failure = null;
  }

  /** Liveness per run id as a test sets it; unknown ids are `missing` (Redis lost the job). */
  readonly liveness = new Map<string, JobLiveness>();
  readonly removed: string[] = [];

  async enqueue(request: RunJobRequest): Promise<void> {
    if (this.failure) throw this.failure;
    this.enqueued.push(structuredClone(request));
  }

  async inspect(runIds: string[]): Promise<Map<string, JobLiveness>> {
    return new Map(runIds.map((id) => [id, this.failure ? 'unreachable' : this.liveness.get(id) ?? 'missing']));
  }

  async remove(runId: string): Promise<boolean> {
    this.removed.push(runId);
    return true;
  }
}
