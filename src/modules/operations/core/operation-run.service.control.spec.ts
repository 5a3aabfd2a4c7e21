import { FakeClock } from '../../../../test/support/fakes/fake-clock';
import { FakeRunQueue } from '../../../../test/support/fakes/fake-run-queue';
import { InMemoryOperationRunRepository } from '../../../../test/support/fakes/in-memory-operation-run.repository';
import { buildDefinition } from '../../../../test/support/run-builder';
import { OperationCatalog } from './operation-catalog';
import { OperationRun } from './operation-run';
import { OperationRunService } from './operation-run.service';
import { CompletionAudit } from './ports/completion-audit.port';
import { HandlerResult, RunHandler } from './ports/run-handler.port';
import { RunLifecycleObserver } from './ports/run-lifecycle-observer.port';
import { RunHandlerRegistry } from './run-handler-registry';

const WORKSPACE = '00000000-0000-4000-8000-0000000000a1';
const ENV = '00000000-0000-4000-8000-0000000000e1';
const INITIATOR = '00000000-0000-4000-8000-0000000000b1';
const OPERATOR = '00000000-0000-4000-8000-0000000000b2';

const handler: RunHandler = {
  type: 'inventory.sync',
  parseInput: () => ({}),
  handle: async (): Promise<HandlerResult> => ({ outcome: 'succeeded' }),
};
const catalog = new OperationCatalog([buildDefinition({ type: 'inventory.sync' })]);
const audit: CompletionAudit = {
  eventFor: (run) => ({
    actorUserId: null,
    actorLabel: 'system',
    workspaceId: run.workspaceId,
    environmentId: run.environmentId,
    action: 'operation.completed',
    subjectType: 'operation_run',
    subjectId: run.id,
    metadata: { outcome: run.outcome },
  }),
};

function setup() {
  const clock = new FakeClock();
  const repo = new InMemoryOperationRunRepository(clock);
  const queue = new FakeRunQueue();
  const handlers = new RunHandlerRegistry(catalog);
  handlers.registerAll([handler]);
  const completed: OperationRun[] = [];
  const observer: RunLifecycleObserver = { onCompleted: (run) => void completed.push(run) };
  const service = new OperationRunService(repo, queue, catalog, handlers, clock, [observer], audit);
  const dispatch = async () =>
    (await service.dispatch({ workspaceId: WORKSPACE, environmentId: ENV, type: 'inventory.sync', initiatorUserId: INITIATOR })).run;
  return { clock, repo, queue, service, completed, dispatch };
}

describe('OperationRunService.cancel', () => {
  it('a queued run completes cancelled at once: its job is removed, observers hear of it, a worker finds it final', async () => {
    const env = setup();
    const run = await env.dispatch();
    env.clock.advance(2);
    const answer = await env.service.cancel(run.id, OPERATOR);
    expect(answer?.plan).toBe('cancel_now');
    expect(answer?.run).toMatchObject({ status: 'completed', outcome: 'cancelled' });
    expect(answer?.run.context.cancellation).toEqual({ requested_by: OPERATOR, requested_at: env.clock.now().toISOString() });
    expect(env.queue.removed).toEqual([run.id]);
    expect(env.completed.map((r) => r.outcome)).toEqual(['cancelled']);
    expect(await env.service.beginAttempt(run.id)).toBeNull();
  });

  it('a running run records the request; its worker learns it from the next heartbeat and completes it cancelled', async () => {
    const env = setup();
    const run = await env.dispatch();
    const started = (await env.service.beginAttempt(run.id))!;
    expect(await env.service.heartbeat(started)).toBe('alive');
    const answer = await env.service.cancel(run.id, OPERATOR);
    expect(answer?.plan).toBe('request');
    expect(answer?.run).toMatchObject({ status: 'running', outcome: 'pending' });
    expect(env.queue.removed).toEqual([]);
    expect(await env.service.heartbeat(started)).toBe('cancel_requested');
    const done = await env.service.acknowledgeCancel(answer!.run);
    expect(done).toMatchObject({ status: 'completed', outcome: 'cancelled' });
    expect(done!.context.failures?.map((f) => f.code)).toEqual(['cancelled']);
    expect(done!.context.attempts?.[0].error_code).toBe('cancelled');
  });

  it('a repeated request writes nothing new: the first request time stands', async () => {
    const env = setup();
    const run = await env.dispatch();
    await env.service.beginAttempt(run.id);
    const first = await env.service.cancel(run.id, OPERATOR);
    env.clock.advance(30);
    const again = await env.service.cancel(run.id, INITIATOR);
    expect(again?.plan).toBe('already_requested');
    expect(again?.run.context.cancellation).toEqual(first?.run.context.cancellation);
  });

  it('a completed run is not touched; an unknown one answers null', async () => {
    const env = setup();
    const run = await env.dispatch();
    const started = (await env.service.beginAttempt(run.id))!;
    await env.service.complete(started, { outcome: 'succeeded' });
    const answer = await env.service.cancel(run.id, OPERATOR);
    expect(answer).toMatchObject({ plan: 'completed', run: { outcome: 'succeeded' } });
    expect(answer!.run.context.cancellation).toBeUndefined();
    expect(await env.service.cancel('00000000-0000-4000-8000-00000000ffff', OPERATOR)).toBeNull();
  });

  it('a run the caller already read is planned from that read; a stale read loses its compare-and-set and is read again', async () => {
    const env = setup();
    const run = await env.dispatch();
    const findById = env.repo.findById.bind(env.repo);
    let reads = 0;
    env.repo.findById = async (id: string) => (reads++, findById(id));
    const fresh = await env.service.cancel(run.id, OPERATOR, run);
    expect({ plan: fresh?.plan, reads }).toEqual({ plan: 'cancel_now', reads: 0 });

    const other = await env.dispatch();
    const stale = { ...other };
    await env.service.beginAttempt(other.id);
    reads = 0;
    const answer = await env.service.cancel(other.id, OPERATOR, stale);
    expect({ plan: answer?.plan, status: answer?.run.status, reads }).toEqual({ plan: 'request', status: 'running', reads: 1 });
  });

  it('a pickup that wins the race turns the cancel into a request on the running run', async () => {
    const env = setup();
    const run = await env.dispatch();
    // The worker's pickup lands between the cancel's read and its write.
    const findById = env.repo.findById.bind(env.repo);
    let reads = 0;
    env.repo.findById = async (id: string) => {
      const found = await findById(id);
      if (reads++ === 0) await env.service.beginAttempt(id);
      return found;
    };
    const answer = await env.service.cancel(run.id, OPERATOR);
    expect(answer?.plan).toBe('request');
    expect(answer?.run).toMatchObject({ status: 'running', context: { cancellation: { requested_by: OPERATOR } } });
    expect(env.completed).toEqual([]);
  });

  it('a completion that wins the race leaves exactly one terminal outcome: the worker\'s', async () => {
    const env = setup();
    const run = await env.dispatch();
    const started = (await env.service.beginAttempt(run.id))!;
    const findById = env.repo.findById.bind(env.repo);
    let reads = 0;
    env.repo.findById = async (id: string) => {
      const found = await findById(id);
      if (reads++ === 0) await env.service.complete(started, { outcome: 'succeeded' });
      return found;
    };
    const answer = await env.service.cancel(run.id, OPERATOR);
    expect(answer).toMatchObject({ plan: 'completed', run: { status: 'completed', outcome: 'succeeded' } });
    expect(env.completed.map((r) => r.outcome)).toEqual(['succeeded']);
  });

  it('a worker acknowledging after the reconciler closed the run loses, and says so in lost_transitions', async () => {
    const env = setup();
    const run = await env.dispatch();
    const started = (await env.service.beginAttempt(run.id))!;
    const requested = (await env.service.cancel(run.id, OPERATOR))!.run;
    await env.service.reconcileMany([
      { run: requested, outcome: 'cancelled', reason: 'cancel_requested_worker_gone', message: 'gone', source: 'scheduled_reconciler' },
    ]);
    expect(await env.service.acknowledgeCancel({ ...started, context: requested.context })).toBeNull();
    const final = (await env.repo.findById(run.id))!;
    expect(final).toMatchObject({ status: 'completed', outcome: 'cancelled' });
    expect(final.context.diagnostics?.lost_transitions).toEqual([
      expect.objectContaining({ source: 'worker', attempted_outcome: 'cancelled', expected_status: 'running' }),
    ]);
  });
});

describe('OperationRunService.retry', () => {
  it('starts the same type, environment and input with retry_of, and records retried_as on the old run', async () => {
    const env = setup();
    const first = await env.dispatch();
    const started = (await env.service.beginAttempt(first.id))!;
    const failed = (await env.service.complete(started, { outcome: 'failed', failures: [{ code: 'x', message: 'X.' }] }))!;
    const { run, created } = await env.service.retry(failed, { initiatorUserId: OPERATOR });
    expect(created).toBe(true);
    expect(run).toMatchObject({ type: 'inventory.sync', environmentId: ENV, workspaceId: WORKSPACE, initiatorUserId: OPERATOR, status: 'queued' });
    expect(run.context.retry_of).toBe(failed.id);
    expect(run.fingerprint).toBe(failed.fingerprint);
    expect((await env.repo.findById(failed.id))!.context.retried_as).toBe(run.id);
  });

  it('an identical active run is returned instead (created: false), and the old run is not relinked', async () => {
    const env = setup();
    const first = await env.dispatch();
    const failed = (await env.service.complete((await env.service.beginAttempt(first.id))!, { outcome: 'failed' }))!;
    const active = await env.dispatch();
    const again = await env.service.retry(failed, { initiatorUserId: OPERATOR });
    expect(again).toMatchObject({ created: false, run: { id: active.id } });
    expect((await env.repo.findById(failed.id))!.context.retried_as).toBeUndefined();
  });
});
