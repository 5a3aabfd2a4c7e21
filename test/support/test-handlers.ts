import { Injectable, Module } from '@nestjs/common';
import { RegisterRunHandler } from '../../src/modules/operations/adapters/queue/register-run-handler.decorator';
import { HandlerResult, RunExecution, RunHandler } from '../../src/modules/operations/core/ports/run-handler.port';

/** Operation types that exist only in tests, to drive failure paths through the real stack. */
const policy = (overrides: Record<string, unknown> = {}) => ({
  expected_duration_s: 1,
  heartbeat_s: 1,
  stale_queued_after_s: 60,
  stale_running_after_s: 8,
  job_timeout_s: 5,
  max_attempts: 1,
  backoff: { type: 'fixed', delay_s: 0.2 },
  ...overrides,
});

const type = (label: string, policyOverrides: Record<string, unknown> = {}) => ({
  label,
  module: 'test',
  capability: 'operations.view',
  progress_mode: 'activity',
  aliases: [],
  phases: [],
  policy: policy(policyOverrides),
});

export const TEST_OPERATION_TYPES = {
  'test.adapter_managed': type('Managed by a scripted adapter'),
  'test.noop': type('Does nothing'),
  'test.always_fails': type('Always fails', { max_attempts: 3 }),
  'test.sleeps_past_timeout': type('Sleeps past its timeout', { job_timeout_s: 1 }),
};

export const attemptsSeen = new Map<string, number>();

@Injectable()
@RegisterRunHandler()
export class AlwaysFailsHandler implements RunHandler {
  readonly type = 'test.always_fails';
  parseInput(): Record<string, unknown> {
    return {};
  }
  async handle(execution: RunExecution): Promise<HandlerResult> {
    attemptsSeen.set(execution.run.id, execution.attempt);
    throw new Error('connect ECONNREFUSED 10.0.0.7:443 at TLSSocket.<anonymous> (internal secret detail)');
  }
}

@Injectable()
@RegisterRunHandler()
export class SleepsPastTimeoutHandler implements RunHandler {
  readonly type = 'test.sleeps_past_timeout';
  parseInput(): Record<string, unknown> {
    return {};
  }
  async handle(): Promise<HandlerResult> {
    // Deliberately ignores the abort signal: the wrapper must still end the attempt on time.
    await new Promise((resolve) => setTimeout(resolve, 4000).unref());
    return { outcome: 'succeeded' };
  }
}

@Injectable()
@RegisterRunHandler()
export class AdapterManagedHandler implements RunHandler {
  readonly type = 'test.adapter_managed';
  parseInput(raw: unknown): Record<string, unknown> {
    return (raw as Record<string, unknown>) ?? {};
  }
  async handle(): Promise<HandlerResult> {
    return { outcome: 'succeeded' };
  }
}

@Injectable()
@RegisterRunHandler()
export class NoopHandler implements RunHandler {
  readonly type = 'test.noop';
  parseInput(raw: unknown): Record<string, unknown> {
    return (raw as Record<string, unknown>) ?? {};
  }
  async handle(): Promise<HandlerResult> {
    return { outcome: 'succeeded' };
  }
}

@Module({ providers: [AlwaysFailsHandler, SleepsPastTimeoutHandler, AdapterManagedHandler, NoopHandler] })
export class TestHandlersModule {}
