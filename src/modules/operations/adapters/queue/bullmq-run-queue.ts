import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Queue } from 'bullmq';
import { JobLiveness } from '../../core/ports/job-liveness';
import { RunJobRequest, RunQueue } from '../../core/ports/run-queue.port';
import { RunJobData } from './run-correlation';
import { RUN_QUEUE_CONNECTION, RUN_QUEUE_NAME } from './run-queue.constants';

const ENQUEUE_TIMEOUT_MS = 3000;
const INSPECT_TIMEOUT_MS = 5000;
const CLOSE_SETTLE_MS = 1000;
/** Jobs inspected per MULTI: each block is one round trip and one atomic read of the queue. */
const INSPECT_CHUNK = 500;

/** The ioredis surface the batched inspection uses (BullMQ types its client narrowly). */
interface InspectClient {
  eval(script: string, numKeys: number, ...args: string[]): Promise<unknown>;
}

/**
 * Per job: the index of the first state probe (KEYS, in STATE_PROBES order; ARGV[1] spells each
 * key's kind, l = list, z = sorted set) holding it, or -1, then whether its lock key exists.
 * ARGV[2..] are (job id, lock key) pairs. A script runs atomically: a job moving between lists
 * during the inspection cannot look missing.
 */
const INSPECT_SCRIPT = `
local kinds = ARGV[1]
local out = {}
for i = 2, #ARGV, 2 do
  local id = ARGV[i]
  local hit = -1
  for k = 1, #KEYS do
    local found
    if string.sub(kinds, k, k) == 'l' then found = redis.call('LPOS', KEYS[k], id) else found = redis.call('ZSCORE', KEYS[k], id) end
    if found then hit = k - 1 break end
  end
  out[#out + 1] = hit
  out[#out + 1] = redis.call('EXISTS', ARGV[i + 1])
end
return out`;

/**
 * BullMQ's getStateV2 script checks these, in this order (first hit wins); the lock key tells an
 * active job with a live worker from an orphaned one. Nine commands per job.
 */
const STATE_PROBES = ['completed', 'failed', 'delayed', 'prioritized', 'active', 'wait', 'paused', 'waiting-children'] as const;
const LIST_PROBES = new Set<string>(['active', 'wait', 'paused']);

@Injectable()
export class BullMqRunQueue implements RunQueue, OnModuleDestroy {
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

  /**
   * The liveness of many jobs in one round trip per INSPECT_CHUNK: the same membership checks as
   * BullMQ's getState (same order, same answers) plus the lock check, evaluated inside Redis by one
   * script per chunk (atomic, and two small integers per job on the wire instead of nine replies).
   */
  private async livenessOfMany(runIds: string[]): Promise<JobLiveness[]> {
    if (!runIds.length) return [];
    const client = (await this.queue.client) as unknown as InspectClient;
    const keys = STATE_PROBES.map((state) => this.queue.toKey(state));
    const kinds = STATE_PROBES.map((state) => (LIST_PROBES.has(state) ? 'l' : 'z')).join('');
    const out: JobLiveness[] = [];
    for (let i = 0; i < runIds.length; i += INSPECT_CHUNK) {
      const chunk = runIds.slice(i, i + INSPECT_CHUNK);
      const args = chunk.flatMap((id) => [id, `${this.queue.toKey(id)}:lock`]);
      const reply = await client.eval(INSPECT_SCRIPT, keys.length, ...keys, kinds, ...args);
      if (!Array.isArray(reply) || reply.length !== chunk.length * 2) throw new Error('unexpected inspection reply');
      chunk.forEach((_, j) => {
        const hit = Number(reply[j * 2]);
        out.push(livenessOf(hit < 0 ? 'unknown' : STATE_PROBES[hit], Number(reply[j * 2 + 1]) > 0));
      });
    }
    return out;
  }
}

/** BullMQ's state name (getState's answer for the probe that hit) to the reconciler's liveness. */
function livenessOf(state: string, locked: boolean): JobLiveness {
  switch (state) {
    case 'active':
      return locked ? 'active_locked' : 'active_unlocked';
    case 'delayed':
      return 'delayed_retry';
    case 'wait':
    case 'paused':
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
