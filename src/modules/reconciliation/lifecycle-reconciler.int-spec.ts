import { FIND_STALE_SQL } from './adapters/persistence/mikro-orm-stale-run-source';
import { getQueueToken } from '@nestjs/bullmq';
import { EntityManager } from '@mikro-orm/postgresql';
import { Queue, Worker } from 'bullmq';
import { redisOptionsFromUrl } from '../../shared/adapters/redis-connection';
import { OperationRun } from '../operations/core/operation-run';
import { OperationRunService } from '../operations/core/operation-run.service';
import { OperationCatalog } from '../operations/core/operation-catalog';
import { presentRun } from '../operations/core/run-presenter';
import { RUN_QUEUE_NAME } from '../operations/adapters/queue/run-queue.constants';
import { LifecycleReconciler } from './core/lifecycle-reconciler';
import { STALE_QUEUED_MESSAGE, STALE_RUNNING_MESSAGE } from './core/reconciliation-decision';
import { startTestApp, TestApp } from '../../../test/support/test-app';
import { TEST_OPERATION_TYPES, TestHandlersModule } from '../../../test/support/test-handlers';
import { adapterDecisions, TestReconciliationModule } from '../../../test/support/test-reconciliation-adapter';
import { DemoScope, seedDemoScope } from '../../../test/support/seed';
import { insertRunRow } from '../../../test/support/run-rows';

describe('lifecycle reconciler (real PostgreSQL + Redis)', () => {
  let t: TestApp;
  let scope: DemoScope;
  let reconciler: LifecycleReconciler;
  let service: OperationRunService;
  let queue: Queue;
  let env: string;

  beforeAll(async () => {
    // Web only: no worker picks jobs up, so queue state is exactly what each test arranges.
    t = await startTestApp({ roles: ['web'], extraTypes: TEST_OPERATION_TYPES, imports: [TestHandlersModule, TestReconciliationModule] });
    scope = await seedDemoScope(t);
    reconciler = t.get<LifecycleReconciler>(LifecycleReconciler);
    service = t.get<OperationRunService>(OperationRunService);
    queue = t.get<Queue>(getQueueToken(RUN_QUEUE_NAME));
    env = scope.environmentIds['fabrikam'];
  });
  afterAll(() => t?.close());
  afterEach(async () => {
    // Each test starts from no active runs, so sweeps only see what the test arranged.
    await t.db.query(`update operation_runs set status = 'completed', outcome = 'cancelled', completed_at = now() where status <> 'completed'`);
  });

  const run = async (id: string) => (await service.findById(id)) as OperationRun;
  const row = (o: Partial<Parameters<typeof insertRunRow>[1]>) =>
    insertRunRow(t.db, { workspaceId: scope.workspaceId, environmentId: env, type: 'test.noop', status: 'running', ...o });

  it('force-fails a running run whose job vanished, with the canonical reconciliation record', async () => {
    const id = await row({ heartbeatAgoS: 600 });
    const before = presentRun(await run(id), t.get<OperationCatalog>(OperationCatalog).resolve('test.noop'), new Date());
    expect(before.freshness).toBe('likely_stale');
    expect(before.headline).toBe('Past the lifecycle window. Review worker health and logs before retrying.');

    const summary = await reconciler.sweep();
    expect(summary).toMatchObject({ examined: 1, reconciled: 1, skipped_alive: 0, deferred: 0, by_reason: { stale_running: 1 } });
    const done = await run(id);
    expect(done).toMatchObject({ status: 'completed', outcome: 'failed' });
    expect(done.context.reconciliation).toEqual({
      version: 1,
      reason: 'stale_running',
      source: 'scheduled_reconciler',
      decision: 'failed',
      reconciled_at: expect.any(String),
      previous_status: 'running',
      previous_outcome: 'pending',
      message: STALE_RUNNING_MESSAGE,
    });
    expect(done.context.failures).toEqual([{ code: 'stale_running', message: STALE_RUNNING_MESSAGE }]);
    const after = presentRun(done, null, new Date());
    expect(after.problem_class).toBe('reconciled');
    expect(after.headline).toBe(STALE_RUNNING_MESSAGE);
  });

  it('reconciles a stale queued run whose job was removed from Redis as stale_queued', async () => {
    const { run: queued } = await service.dispatch({ workspaceId: scope.workspaceId, environmentId: env, type: 'test.noop', input: { n: 1 }, initiatorUserId: null });
    await (await queue.getJob(queued.id))!.remove();
    await t.db.query(`update operation_runs set created_at = now() - interval '2 hours' where id = $1`, [queued.id]);
    const summary = await reconciler.sweep();
    expect(summary.by_reason).toEqual({ stale_queued: 1 });
    const done = await run(queued.id);
    expect(done.outcome).toBe('failed');
    expect(done.context.reconciliation).toMatchObject({ reason: 'stale_queued', previous_status: 'queued' });
    expect(done.context.failures?.[0].message).toBe(STALE_QUEUED_MESSAGE);
  });

  it('reconciles a stale queued run whose job still waits unpicked, and removes that job', async () => {
    const { run: queued } = await service.dispatch({ workspaceId: scope.workspaceId, environmentId: env, type: 'test.noop', input: { n: 2 }, initiatorUserId: null });
    expect(await queue.getJobState(queued.id)).toBe('waiting');
    await t.db.query(`update operation_runs set created_at = now() - interval '2 hours' where id = $1`, [queued.id]);
    await reconciler.sweep();
    expect((await run(queued.id)).context.reconciliation?.reason).toBe('stale_queued');
    expect(await queue.getJobState(queued.id)).toBe('unknown');
  });

  it('never touches a fresh run, nor stale runs whose job is locked by a worker or waiting out a retry', async () => {
    const fresh = await row({ heartbeatAgoS: 1 });
    const locked = await row({ heartbeatAgoS: 600 });
    const retrying = await row({ heartbeatAgoS: 600 });
    await queue.add('test.noop', { operationRunId: locked }, { jobId: locked });
    await queue.add('test.noop', { operationRunId: retrying }, { jobId: retrying, delay: 60_000 });
    // A worker that takes the job by hand holds its lock, exactly like a live processor.
    const holder = new Worker(RUN_QUEUE_NAME, null, { connection: redisOptionsFromUrl(t.config.redisUrl), prefix: t.config.queuePrefix });
    try {
      const job = await holder.getNextJob('test-lock-token');
      expect(job?.id).toBe(locked);
      const summary = await reconciler.sweep();
      expect(summary).toMatchObject({ examined: 2, reconciled: 0, skipped_alive: 2 });
      for (const id of [fresh, locked, retrying]) expect((await run(id)).status).toBe('running');
    } finally {
      await holder.close();
    }
  });

  it('leaves types without a lifecycle policy alone (freshness unknown)', async () => {
    const legacy = await row({ type: 'legacy.unknown_type', heartbeatAgoS: 99999 });
    const summary = await reconciler.sweep();
    expect(summary.examined).toBe(0);
    expect((await run(legacy)).status).toBe('running');
  });

  it('a dry run reports what it would do and changes nothing', async () => {
    const id = await row({ heartbeatAgoS: 600 });
    const before = await t.db.query('select * from operation_runs where id = $1', [id]);
    const summary = await reconciler.sweep({ dryRun: true });
    expect(summary).toMatchObject({ dry_run: true, examined: 1, reconciled: 1, by_reason: { stale_running: 1 } });
    expect(await t.db.query('select * from operation_runs where id = $1', [id])).toEqual(before);
  });

  it('applies adapter decisions: succeeded with related, and defer until the hard ceiling', async () => {
    const succeeded = await row({ type: 'test.adapter_managed', heartbeatAgoS: 600, createdAgoS: 700 });
    adapterDecisions.set(succeeded, {
      decision: 'succeeded',
      reason: 'artifact_complete',
      message: 'Reconciled: the snapshot was complete.',
      related: { type: 'baseline_snapshot', id: 'snap-1' },
    });
    // Inside its hard ceiling (queue wait 60 s + one 5 s attempt from creation): defer is honoured.
    const deferred = await row({ type: 'test.adapter_managed', heartbeatAgoS: 10, createdAgoS: 20 });
    adapterDecisions.set(deferred, { decision: 'defer', reason: 'still_writing' });
    const pastCeiling = await row({ type: 'test.adapter_managed', heartbeatAgoS: 600, createdAgoS: 3600 });
    adapterDecisions.set(pastCeiling, { decision: 'defer', reason: 'still_writing' });

    const summary = await reconciler.sweep();
    expect(summary).toMatchObject({ examined: 3, reconciled: 2, deferred: 1 });
    const ok = await run(succeeded);
    expect(ok).toMatchObject({ status: 'completed', outcome: 'succeeded' });
    expect(ok.context.related).toEqual({ type: 'baseline_snapshot', id: 'snap-1' });
    expect(ok.context.reconciliation).toMatchObject({ source: 'adapter', adapter: 'scripted', reason: 'artifact_complete' });
    expect((await run(deferred)).status).toBe('running');
    expect((await run(pastCeiling)).context.reconciliation).toMatchObject({ source: 'scheduled_reconciler', reason: 'stale_running' });
  });

  it('the inventory.sync adapter turns recorded items into partial success, and none into failure', async () => {
    const partial = await row({ type: 'inventory.sync', heartbeatAgoS: 600 });
    const empty = await row({ type: 'inventory.sync', heartbeatAgoS: 600 });
    await t.db.query(
      `insert into inventory_items (environment_id, kind, external_id, display_name, settings, content_hash, last_synced_run_id)
       select $1, 'deviceConfiguration', 'ext-' || g, 'Item ' || g, '{}', 'h' || g, $2 from generate_series(1, 7) g`,
      [env, partial],
    );
    await reconciler.sweep();
    const p = await run(partial);
    expect(p).toMatchObject({ outcome: 'partially_succeeded', summaryCounts: { processed: 7 } });
    expect(p.context.reconciliation).toMatchObject({ source: 'adapter', adapter: 'inventory-sync', reason: 'inventory_sync_incomplete' });
    expect((await run(empty)).context.reconciliation).toMatchObject({ reason: 'inventory_sync_no_items', decision: 'failed' });
  });

  it('re-reconciling is a no-op: a second sweep finds nothing and the record is unchanged', async () => {
    const id = await row({ heartbeatAgoS: 600 });
    await reconciler.sweep();
    const first = await run(id);
    const second = await reconciler.sweep();
    expect(second.examined).toBe(0);
    expect(await run(id)).toEqual(first);
  });

  it('four reconcilers at once over 500 stale runs reconcile each run exactly once', async () => {
    await t.db.query(
      `insert into operation_runs (id, workspace_id, environment_id, type, status, outcome, fingerprint, context,
         summary_counts, attempts, created_at, started_at, last_heartbeat_at, updated_at)
       select gen_random_uuid(), $1, $2, 'test.noop', 'running', 'pending', 'bulk-' || g, '{}', '{}', 1,
         now() - interval '1 hour', now() - interval '1 hour', now() - interval '1 hour', now()
       from generate_series(1, 500) g`,
      [scope.workspaceId, env],
    );
    const sweeps = await Promise.all([reconciler.sweep(), reconciler.sweep(), reconciler.sweep(), reconciler.sweep()]);
    const total = sweeps.reduce((n, s) => n + s.reconciled, 0);
    expect(total).toBe(500);
    const [counts] = await t.db.query<{ active: string; reconciled: string; lost: string }>(
      `select count(*) filter (where status <> 'completed') as active,
              count(*) filter (where context->'reconciliation'->>'reason' = 'stale_running') as reconciled,
              count(*) filter (where context->'diagnostics' ? 'lost_transitions') as lost
         from operation_runs where fingerprint like 'bulk-%'`,
    );
    expect(counts).toEqual({ active: '0', reconciled: '500', lost: '0' });
    // One audit event per reconciled run, written in batches rather than one round trip each.
    const [audit] = await t.db.query<{ events: string; runs: string }>(
      `select count(*) as events, count(distinct subject_id) as runs from audit_events
        where action = 'operation.reconciled'
          and subject_id in (select id::text from operation_runs where fingerprint like 'bulk-%')`,
    );
    expect(audit).toEqual({ events: '500', runs: '500' });
  });

  it('the stale-run sweep reads only runs past their window, through the stale-probe index', async () => {
    // 20 000 finished runs and 5 000 fresh active ones: none of them may be read by the sweep.
    await t.db.query(
      `insert into operation_runs (id, workspace_id, environment_id, type, status, outcome, fingerprint, context,
         summary_counts, attempts, created_at, started_at, last_heartbeat_at, completed_at, updated_at)
       select gen_random_uuid(), $1, $2, 'test.noop',
              case when g <= 5000 then 'running' else 'completed' end,
              case when g <= 5000 then 'pending' else 'succeeded' end,
              'hist-' || g, '{}', '{}', 1, now() - (g || ' seconds')::interval, now(), now(),
              case when g <= 5000 then null else now() end, now()
       from generate_series(1, 25000) g`,
      [scope.workspaceId, env],
    );
    await t.db.query('analyze operation_runs');
    let n = 0;
    const sql = FIND_STALE_SQL.replace(/\?/g, () => `$${++n}`);
    const now = new Date();
    const windows = JSON.stringify([{ type: 'test.noop', queued_after_s: 60, running_after_s: 8 }]);
    const plan = await t.db.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${sql}`, [windows, now, null, null, null, now, null, null, null, 500, now, now]);
    const text = plan.map((p) => p['QUERY PLAN']).join('\n');
    expect(text).toContain('operation_runs_stale_probe_idx');
    // Fresh runs are never fetched: the probe returns no rows, so the outer read touches none.
    expect(text).toMatch(/Index (Only )?Scan using operation_runs_stale_probe_idx[^\n]*\(actual [^)]*rows=0 /);
  });

  it('heartbeats leave dead probe entries in the stale range: a sweep marks them once, the next one skips them', async () => {
    // 3 000 running runs whose heartbeat was an hour old and has just been renewed: the old index
    // entries are dead and lie exactly in the range every sweep reads.
    await t.db.query(
      `insert into operation_runs (id, workspace_id, environment_id, type, status, outcome, fingerprint, context,
         summary_counts, attempts, created_at, started_at, last_heartbeat_at, completed_at, updated_at)
       select gen_random_uuid(), $1, $2, 'test.noop', 'running', 'pending', 'beat-' || g, '{}', '{}', 1,
              now() - interval '2 hours', now() - interval '2 hours', now() - interval '1 hour', null, now()
       from generate_series(1, 3000) g`,
      [scope.workspaceId, env],
    );
    await t.db.query('analyze operation_runs');
    await t.db.query(`update operation_runs set last_heartbeat_at = now() where fingerprint like 'beat-%'`);
    // The app's own session settings (mikro-orm.config.ts), as the sweep runs it.
    const connection = t.get<EntityManager>(EntityManager).fork().getConnection();
    const now = new Date();
    const windows = JSON.stringify([{ type: 'test.noop', queued_after_s: 60, running_after_s: 8 }]);
    const explainSweep = async () => {
      const plan = await connection.execute<{ 'QUERY PLAN': string }[]>(
        `explain (analyze, buffers) ${FIND_STALE_SQL}`,
        [windows, now, null, null, null, now, null, null, null, 500, now, now],
        'all',
      );
      const text = plan.map((p) => p['QUERY PLAN']).join('\n');
      return { text, buffers: Number(/Buffers: shared hit=(\d+)/.exec(text)?.[1] ?? NaN) };
    };
    const first = await explainSweep();
    // A dead entry is marked only once no snapshot anywhere that counts can still see it; while a
    // busy machine holds the horizon back, later sweeps may read them again. Poll (bounded): an
    // index scan gets there, a bitmap scan never does.
    let second = await explainSweep();
    for (let i = 0; i < 100 && second.buffers >= first.buffers / 2; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      second = await explainSweep();
    }
    expect(first.text).not.toContain('Bitmap Heap Scan');
    expect(second.text).toMatch(/Index (Only )?Scan using operation_runs_stale_probe_idx[^\n]*\(actual [^)]*rows=0 /);
    // The second reads only index pages; a bitmap scan would visit every dead entry's heap page
    // again, on every sweep until a vacuum (measured: 124 buffers then 30; bitmap: 124 each time).
    expect(second.buffers).toBeLessThan(first.buffers / 2);
  });
});
