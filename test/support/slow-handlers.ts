import { Injectable, Module } from '@nestjs/common';
import { RegisterRunHandler } from '../../src/modules/operations/adapters/queue/register-run-handler.decorator';
import { HandlerResult, RunExecution, RunHandler } from '../../src/modules/operations/core/ports/run-handler.port';
import { TEST_OPERATION_TYPES, TestHandlersModule } from './test-handlers';

/**
 * A test-only type whose job runs long enough (120 steps of 250 ms = 30 s) to kill its worker
 * mid-run. It has no reconciliation adapter: a lost run is closed by the generic force-fail.
 *
 * The policy is only valid with QUEUE_LOCK_DURATION_MS=2000 and QUEUE_STALLED_INTERVAL_MS=2000
 * (startTestApp's defaults): stale_running_after_s 6 ≥ (2000 + 2000) / 1000 and ≥ 3 heartbeats.
 */
export const SLOW_STEPS_TYPE = 'test.slow_steps';
export const SLOW_STEPS_TOTAL = 120;
export const SLOW_STEP_MS = 250;

export const SLOW_OPERATION_TYPES = {
  [SLOW_STEPS_TYPE]: {
    label: 'Counts slowly through 120 steps',
    module: 'test',
    capability: 'operations.view',
    progress_mode: 'counted',
    aliases: [],
    phases: [],
    policy: {
      expected_duration_s: 60,
      heartbeat_s: 1,
      stale_queued_after_s: 60,
      stale_running_after_s: 6,
      job_timeout_s: 120,
      max_attempts: 1,
      backoff: { type: 'fixed', delay_s: 1 },
    },
  },
};

@Injectable()
@RegisterRunHandler()
export class SlowStepsHandler implements RunHandler {
  readonly type = SLOW_STEPS_TYPE;

  /** Any object input is kept, so tests can start several runs side by side (distinct fingerprints). */
  parseInput(raw: unknown): Record<string, unknown> {
    return raw && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  }

  /** `{ steps: N }` in the input counts through N steps instead (shorter runs for drain tests). */
  async handle({ signal, progress, inputs }: RunExecution): Promise<HandlerResult> {
    const total = Number.isInteger(inputs.steps) && (inputs.steps as number) > 0 ? (inputs.steps as number) : SLOW_STEPS_TOTAL;
    for (let step = 1; step <= total; step++) {
      await sleep(SLOW_STEP_MS, signal);
      await progress.counted(step, total);
    }
    return { outcome: 'succeeded', summaryCounts: { processed: total, total } };
  }
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it is aborted. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

@Module({ providers: [SlowStepsHandler] })
export class SlowHandlersModule {}

/**
 * The catalog additions and handler modules shared by an e2e test's in-process app and the
 * separate worker process (test/support/worker-process.ts), so both boot the same catalog.
 */
export const WORKER_PROCESS_TYPES: Record<string, unknown> = { ...TEST_OPERATION_TYPES, ...SLOW_OPERATION_TYPES };
export const WORKER_PROCESS_IMPORTS = [TestHandlersModule, SlowHandlersModule];
