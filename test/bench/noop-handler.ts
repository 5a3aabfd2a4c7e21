import { Injectable, Module } from '@nestjs/common';
import { RegisterRunHandler } from '../../src/modules/operations/adapters/queue/register-run-handler.decorator';
import { HandlerResult, RunHandler } from '../../src/modules/operations/core/ports/run-handler.port';
import { DomainError } from '../../src/shared/core/domain-error';

/** A benchmark-only operation type whose handler does nothing: what remains is the platform's cost. */
export const BENCH_NOOP_TYPE = 'bench.noop';

export const BENCH_OPERATION_TYPES = {
  [BENCH_NOOP_TYPE]: {
    label: 'Benchmark no-op',
    module: 'bench',
    capability: 'operations.view',
    progress_mode: 'activity',
    aliases: [],
    phases: [],
    policy: {
      expected_duration_s: 1,
      heartbeat_s: 5,
      stale_queued_after_s: 600,
      stale_running_after_s: 60,
      job_timeout_s: 30,
      max_attempts: 1,
      backoff: { type: 'fixed', delay_s: 1 },
    },
  },
};

@Injectable()
@RegisterRunHandler()
export class NoopHandler implements RunHandler {
  readonly type = BENCH_NOOP_TYPE;

  /** `{ n }` only: a distinct n per run gives each run its own fingerprint. */
  parseInput(raw: unknown): Record<string, unknown> {
    const n = (raw as { n?: unknown } | null)?.n;
    if (typeof n !== 'number' || !Number.isInteger(n)) {
      throw new DomainError('invalid_input', 'bench.noop needs an integer "n".', 'invalid');
    }
    return { n };
  }

  async handle(): Promise<HandlerResult> {
    return { outcome: 'succeeded' };
  }
}

@Module({ providers: [NoopHandler] })
export class BenchHandlersModule {}
