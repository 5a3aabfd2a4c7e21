import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import request from 'supertest';
import { RUN_QUEUE_NAME } from '../../src/modules/operations/adapters/queue/run-queue.constants';
import { OperationRun } from '../../src/modules/operations/core/operation-run';
import { OperationRunService } from '../../src/modules/operations/core/operation-run.service';
import { LifecycleReconciler } from '../../src/modules/reconciliation/core/lifecycle-reconciler';
import { ApiPersonas, issueDemoTokens } from '../support/api-personas';
import { DemoScope, seedDemoScope } from '../support/seed';
import { SLOW_STEPS_TOTAL, SLOW_STEPS_TYPE, WORKER_PROCESS_IMPORTS, WORKER_PROCESS_TYPES } from '../support/slow-handlers';
import { killAllWorkers, spawnWorker } from '../support/spawn-worker';
import { startTestApp, TestApp, waitFor } from '../support/test-app';

/**
 * Cancel (issue 17) against real PostgreSQL, Redis and workers: a queued run ends at once and its
 * job leaves the queue; a running one is stopped by its own worker within a heartbeat (1 s for
 * `test.slow_steps`); a run whose worker was SIGKILLed after the request is closed by the
 * reconciler as cancelled, not failed.
 */
jest.setTimeout(60_000);

const processed = (run: OperationRun) => Number(run.summaryCounts.processed ?? 0);

describe('cancel a run (real PostgreSQL + Redis + workers)', () => {
  let t: TestApp;
  let scope: DemoScope;
  let api: ApiPersonas;
  let service: OperationRunService;
  const http = () => request(t.app.getHttpServer());
  const find = async (id: string) => (await service.findById(id)) as OperationRun;

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web', 'worker'], extraTypes: WORKER_PROCESS_TYPES, imports: WORKER_PROCESS_IMPORTS });
    scope = await seedDemoScope(t);
    api = await issueDemoTokens(t.db, scope);
    service = t.get(OperationRunService);
  });
  afterAll(() => t?.close());

  const startSlow = async (persona: 'owner' | 'operator', input: Record<string, unknown>) => {
    const res = await http()
      .post('/api/v1/workspaces/contoso-msp/environments/contoso-hq/operations')
      .set(api.auth(persona))
      .send({ type: SLOW_STEPS_TYPE, input });
    expect(res.status).toBe(202);
    return res.body.run.id as string;
  };

  it('a running run: 202 with the request on record, every surface waits honestly, the worker stops it as cancelled', async () => {
    const id = await startSlow('owner', { scenario: 'running' });
    await waitFor(() => find(id), (r) => r.status === 'running' && processed(r) >= 2, { what: 'the slow run to be working' });

    const res = await http().post(`/api/v1/operations/${id}/cancel`).set(api.auth('operator'));
    expect(res.status).toBe(202);
    expect(res.body.run.cancellation).toEqual({ requested_by: scope.userIds.operator, requested_at: expect.any(String) });
    expect(res.body.run.status).toBe('running');
    expect(res.body.run.presentation.guidance).toMatch(/^Cancel requested \d+ s ago — waiting for the worker to stop\.$/);

    // Asking again changes nothing and says so with 200.
    const again = await http().post(`/api/v1/operations/${id}/cancel`).set(api.auth('owner'));
    expect(again.status).toBe(200);
    expect(again.body.run.cancellation).toEqual(res.body.run.cancellation);

    const done = await waitFor(() => find(id), (r) => r.status === 'completed', { timeoutMs: 10_000, what: 'the worker to stop the run' });
    expect(done.outcome).toBe('cancelled');
    expect(processed(done)).toBeLessThan(SLOW_STEPS_TOTAL);
    expect(done.context.failures?.map((f) => f.code)).toEqual(['cancelled']);
    expect(done.context.reconciliation).toBeUndefined();

    // Now it is over: 409, and the run page no longer offers the button.
    const late = await http().post(`/api/v1/operations/${id}/cancel`).set(api.auth('operator'));
    expect({ status: late.status, code: late.body.error?.code }).toEqual({ status: 409, code: 'run_completed' });

    // Audit: who asked; the initiator (owner) hears that someone else cancelled their run.
    const audit = await t.db.query<{ actor_user_id: string; metadata: Record<string, unknown> }>(
      `select actor_user_id, metadata from audit_events where action = 'operation.cancel_requested' and subject_id = $1`,
      [id],
    );
    expect(audit).toEqual([{ actor_user_id: scope.userIds.operator, metadata: { type: SLOW_STEPS_TYPE, cancelled_at_once: false } }]);
    const notes = await waitFor(
      () => t.db.query<{ user_id: string; body: string }>(`select user_id, body from notifications where run_id = $1`, [id]),
      (rows) => rows.length > 0,
      { what: 'the notification' },
    );
    expect(notes).toEqual([{ user_id: scope.userIds.owner, body: 'Cancelled. Another member of the workspace cancelled it.' }]);
  });

  it('a queued run is cancelled at once and its job leaves the queue; nobody is notified of their own cancel', async () => {
    // No worker in this app: the run stays queued until the cancel.
    const web = await startTestApp({ roles: ['web'], database: t.db, queuePrefix: `${t.config.queuePrefix}_webonly`, extraTypes: WORKER_PROCESS_TYPES, imports: WORKER_PROCESS_IMPORTS });
    try {
      const res0 = await request(web.app.getHttpServer())
        .post('/api/v1/workspaces/contoso-msp/environments/contoso-hq/operations')
        .set(api.auth('owner'))
        .send({ type: SLOW_STEPS_TYPE, input: { scenario: 'queued' } });
      const id = res0.body.run.id as string;
      const queue = web.get<Queue>(getQueueToken(RUN_QUEUE_NAME));
      expect(await queue.getJobState(id)).toBe('waiting');
      const res = await request(web.app.getHttpServer()).post(`/api/v1/operations/${id}/cancel`).set(api.auth('owner'));
      expect(res.status).toBe(202);
      expect(res.body.run).toMatchObject({ status: 'completed', outcome: 'cancelled', cancellation: { requested_by: scope.userIds.owner } });
      expect(await queue.getJobState(id)).toBe('unknown');
      const events = await t.db.query<{ action: string }>(`select action from audit_events where subject_id = $1 order by id`, [id]);
      expect(events.map((e) => e.action)).toEqual(['operation.start_requested', 'operation.completed', 'operation.cancel_requested']);
      const notes = await t.db.query(`select 1 from notifications where run_id = $1`, [id]);
      expect(notes).toEqual([]);
    } finally {
      await web.close({ keepDatabase: true });
    }
  });

  it('a viewer cannot cancel (403) and the run goes on', async () => {
    const id = await startSlow('owner', { scenario: 'viewer' });
    const res = await http().post(`/api/v1/operations/${id}/cancel`).set(api.auth('viewer'));
    expect({ status: res.status, code: res.body.error?.code }).toEqual({ status: 403, code: 'forbidden' });
    expect((await find(id)).context.cancellation).toBeUndefined();
    await http().post(`/api/v1/operations/${id}/cancel`).set(api.auth('owner')).expect((r) => expect([200, 202]).toContain(r.status));
  });
});

describe('cancel whose worker was SIGKILLed: the reconciler closes the run as cancelled', () => {
  let t: TestApp;
  let scope: DemoScope;

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web'], extraTypes: WORKER_PROCESS_TYPES, imports: WORKER_PROCESS_IMPORTS });
    scope = await seedDemoScope(t);
  }, 60_000);
  afterAll(async () => {
    await killAllWorkers();
    await t?.close();
  });

  it('cancel requested, worker killed before its next heartbeat: cancelled (not failed) by a sweep once stale', async () => {
    const service = t.get<OperationRunService>(OperationRunService);
    const { run } = await service.dispatch({
      workspaceId: scope.workspaceId,
      environmentId: scope.environmentIds['contoso-hq'],
      type: SLOW_STEPS_TYPE,
      input: { scenario: 'killed' },
      initiatorUserId: null,
    });
    const worker = spawnWorker(t);
    await worker.ready;
    await waitFor(() => service.findById(run.id), (r) => r?.status === 'running' && processed(r) >= 2, {
      timeoutMs: 20_000,
      what: 'the worker process to be working',
    });
    // The request lands and the worker dies at once: nothing acknowledges it.
    await worker.kill();
    const answer = await service.cancel(run.id, null);
    expect(answer?.plan).toBe('request');

    const reconciler = t.get<LifecycleReconciler>(LifecycleReconciler);
    const closed = await waitFor(
      async () => {
        await reconciler.sweep();
        return (await service.findById(run.id)) as OperationRun;
      },
      (r) => r.status === 'completed',
      { timeoutMs: 20_000, intervalMs: 500, what: 'a sweep to close the run' },
    );
    expect(closed.outcome).toBe('cancelled');
    expect(closed.context.reconciliation).toMatchObject({ reason: 'cancel_requested_worker_gone', decision: 'cancelled', source: 'scheduled_reconciler' });
    expect(closed.context.failures?.map((f) => f.code)).toEqual(['cancel_requested_worker_gone']);
  });
});
