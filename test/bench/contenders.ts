import { JobsOptions, Queue, Worker } from 'bullmq';
import { randomUUID } from 'node:crypto';
import type { OperationRunService as Service } from '../../src/modules/operations/core/operation-run.service';
import { redisOptionsFromUrl } from '../../src/shared/adapters/redis-connection';
import { TEST_REDIS_URL } from '../support/test-env';
import { BenchDatabase, waitForCompletedRuns } from './bench-database';
import { note, runBounded } from './harness';

export interface BenchSettings {
  queuePrefix: string;
  dispatchConcurrency: number;
  workerConcurrency: number;
}

export interface BatchResult {
  /** Wall time from the first dispatch to the last completion. */
  ms: number;
  /** Wall time from the first dispatch until the last dispatch call returned. */
  dispatchMs: number;
}

/**
 * One way of running N no-op units of work end to end; `runBatch` returns once all are done.
 * SQL is counted at the pg driver by the process hosting the contender (throughput-child.ts).
 */
export interface Contender {
  name: string;
  runBatch(n: number): Promise<BatchResult>;
  close(): Promise<void>;
}

/** The job options the app's BullMqRunQueue uses for a max_attempts 1 type, so the baselines pay the same queue costs. */
const jobOptions = (jobId: string): JobsOptions => ({
  jobId,
  attempts: 1,
  backoff: { type: 'fixed', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 10000 },
  removeOnFail: { age: 7 * 24 * 3600 },
});

const redis = () => redisOptionsFromUrl(TEST_REDIS_URL);

/** The real app, worker role only: OperationRunService.dispatch → BullMQ → tracking wrapper → complete. */
/**
 * The app as a worker. With `poolerUrl` (a PgBouncer in transaction mode in front of the same
 * database) it connects only through the pooler, as DATABASE_POOLER=transaction, on its own queue.
 */
/** How a second Opsdeck contender differs from the plain one: through a pooler, or one member of a fleet. */
export interface OpsdeckVariant {
  poolerUrl?: string;
  /** A fleet member: its roles and the fleet's own queue (shared by every member). */
  fleet?: { roles: ('web' | 'worker' | 'scheduler')[] };
}

export async function startOpsdeck(db: BenchDatabase, settings: BenchSettings, variant: OpsdeckVariant = {}): Promise<Contender> {
  const { poolerUrl, fleet } = variant;
  // The app's modules load here, not at the top: a baseline's process (throughput-child.ts) must
  // not carry the app's module graph in its RSS.
  const [{ startTestApp }, { OperationRunService }, { BENCH_NOOP_TYPE, BENCH_OPERATION_TYPES, BenchHandlersModule }] = await Promise.all([
    import('../support/test-app'),
    import('../../src/modules/operations/core/operation-run.service'),
    import('./noop-handler'),
  ]);
  const app = await startTestApp({
    roles: fleet?.roles ?? ['worker'],
    database: db,
    queuePrefix: poolerUrl ? `${settings.queuePrefix}_pgbouncer` : fleet ? `${settings.queuePrefix}_fleet` : settings.queuePrefix,
    extraTypes: BENCH_OPERATION_TYPES,
    imports: [BenchHandlersModule],
    env: {
      ...(poolerUrl ? { DATABASE_URL: poolerUrl, DATABASE_POOLER: 'transaction' } : {}),
      WORKER_CONCURRENCY: String(settings.workerConcurrency),
      QUEUE_LOCK_DURATION_MS: '30000',
      QUEUE_STALLED_INTERVAL_MS: '30000',
    },
  });
  const service = app.get<Service>(OperationRunService);
  let seq = 0;
  return {
    name: poolerUrl ? 'opsdeck-pgbouncer' : fleet ? 'opsdeck-fleet' : 'opsdeck',
    async runBatch(n) {
      const since = new Date();
      await runBounded(n, settings.dispatchConcurrency, () =>
        service.dispatch({
          workspaceId: db.workspaceId,
          environmentId: db.environmentId,
          type: BENCH_NOOP_TYPE,
          input: { n: seq++ },
          initiatorUserId: null,
        }),
      );
      const dispatchMs = Date.now() - since.getTime();
      const ms = await waitForCompletedRuns(db, BENCH_NOOP_TYPE, since, n);
      return { ms, dispatchMs };
    },
    close: () => app.close(), // obliterates the app's queue; the database is dropped by the caller
  };
}

const NAIVE_TYPE = 'bench.naive';
/**
 * The naive contender's job table: the same columns, constraints, indexes and workspace foreign key
 * as operation_runs, but none of the product's triggers (the hub's tab-count summary is Opsdeck's
 * cost, not the baseline's).
 */
const NAIVE_TABLE = 'naive_bench.operation_runs';

/** What a hand-rolled job table would do: INSERT the run, enqueue, worker does two UPDATEs. */
export async function startNaive(db: BenchDatabase, settings: BenchSettings): Promise<Contender> {
  const name = 'bench-naive';
  await db.query(`create schema if not exists naive_bench`);
  await db.query(`create table if not exists ${NAIVE_TABLE} (like public.operation_runs including all)`);
  await db.query(`alter table ${NAIVE_TABLE} add foreign key (workspace_id) references public.workspaces (id)`);
  const sql = (text: string, params: unknown[]) => db.pool.query(text, params);
  const queue = new Queue(name, { connection: redis(), prefix: settings.queuePrefix });
  const worker = new Worker(
    name,
    async (job) => {
      const { runId } = job.data as { runId: string };
      await sql(
        `update ${NAIVE_TABLE} set status = 'running', attempts = 1, started_at = $2, last_heartbeat_at = $2, updated_at = $2
          where id = $1 and status = 'queued'`,
        [runId, new Date()],
      );
      await sql(
        `update ${NAIVE_TABLE} set status = 'completed', outcome = 'succeeded', completed_at = $2, updated_at = $2
          where id = $1 and status = 'running'`,
        [runId, new Date()],
      );
    },
    { connection: { ...redis(), maxRetriesPerRequest: null }, prefix: settings.queuePrefix, concurrency: settings.workerConcurrency },
  );
  worker.on('error', (error) => note(`naive worker error: ${error.message}`));
  return {
    name: 'naive',
    async runBatch(n) {
      const since = new Date();
      await runBounded(n, settings.dispatchConcurrency, async () => {
        const id = randomUUID();
        const now = new Date();
        await sql(
          `insert into ${NAIVE_TABLE} (id, workspace_id, type, status, fingerprint, created_at, updated_at)
           values ($1, $2, $3, 'queued', $4, $5, $5)`,
          [id, db.workspaceId, NAIVE_TYPE, id, now],
        );
        await queue.add(NAIVE_TYPE, { runId: id }, jobOptions(id));
      });
      const dispatchMs = Date.now() - since.getTime();
      const ms = await waitForCompletedRuns(db, NAIVE_TYPE, since, n, 120_000, NAIVE_TABLE);
      return { ms, dispatchMs };
    },
    close: () => closeQueue(queue, worker),
  };
}

/** BullMQ alone: add and process no-op jobs, same dispatch concurrency and job options. */
export async function startBareBullmq(settings: BenchSettings): Promise<Contender> {
  const name = 'bench-bare';
  const queue = new Queue(name, { connection: redis(), prefix: settings.queuePrefix });
  const worker = new Worker(name, async () => undefined, {
    connection: { ...redis(), maxRetriesPerRequest: null },
    prefix: settings.queuePrefix,
    concurrency: settings.workerConcurrency,
  });
  worker.on('error', (error) => note(`bare worker error: ${error.message}`));
  let completed = 0;
  let lastCompletedAt = 0;
  let waiter: { target: number; resolve(): void } | null = null;
  worker.on('completed', () => {
    completed++;
    lastCompletedAt = Date.now();
    if (waiter && completed >= waiter.target) waiter.resolve();
  });
  return {
    name: 'bare-bullmq',
    async runBatch(n) {
      const target = completed + n;
      const done = new Promise<void>((resolve) => (waiter = { target, resolve }));
      const since = Date.now();
      await runBounded(n, settings.dispatchConcurrency, () => queue.add('noop', {}, jobOptions(randomUUID())));
      const dispatchMs = Date.now() - since;
      if (completed < target) await done;
      waiter = null;
      return { ms: lastCompletedAt - since, dispatchMs };
    },
    close: () => closeQueue(queue, worker),
  };
}

async function closeQueue(queue: Queue, worker: Worker): Promise<void> {
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
}
