import { randomUUID } from 'node:crypto';
import { OPERATION_RUN_REPOSITORY, OperationRunRepository } from '../../core/ports/operation-run.repository.port';
import { startTestApp, TestApp } from '../../../../../test/support/test-app';
import { DemoScope, seedDemoScope } from '../../../../../test/support/seed';

describe('MikroOrmOperationRunRepository (real PostgreSQL)', () => {
  let t: TestApp;
  let scope: DemoScope;
  let repo: OperationRunRepository;

  beforeAll(async () => {
    t = await startTestApp({ roles: [] });
    scope = await seedDemoScope(t);
    repo = t.get<OperationRunRepository>(OPERATION_RUN_REPOSITORY);
  });
  afterAll(() => t?.close());

  const newRun = (fingerprint: string = randomUUID(), environmentId: string | null = scope.environmentIds['contoso-hq']) => ({
    id: randomUUID(),
    workspaceId: scope.workspaceId,
    environmentId,
    type: 'inventory.sync',
    initiatorUserId: null,
    fingerprint,
    context: { inputs: {} },
    createdAt: new Date(),
  });

  it('compare-and-set applies only while status and attempts still match', async () => {
    const { run } = await repo.insertQueuedOrFindActive(newRun());
    const started = await repo.compareAndSet(run.id, { status: 'queued', attempts: 0 }, { status: 'running', attempts: 1 });
    expect(started).toMatchObject({ status: 'running', attempts: 1 });
    expect(await repo.compareAndSet(run.id, { status: 'queued' }, { status: 'running' })).toBeNull();
    expect(await repo.compareAndSet(run.id, { status: 'running', attempts: 0 }, { status: 'completed', outcome: 'failed' })).toBeNull();
    const done = await repo.compareAndSet(run.id, { status: 'running', attempts: 1 }, { status: 'completed', outcome: 'succeeded', completedAt: new Date() });
    expect(done).toMatchObject({ status: 'completed', outcome: 'succeeded' });
  });

  it('merges diagnostics key by key so a concurrent appendDiagnostic survives', async () => {
    const { run } = await repo.insertQueuedOrFindActive(newRun());
    await repo.appendDiagnostic(run.id, 'lost_transitions', { source: 'other' });
    await repo.appendDiagnostic(run.id, 'lost_transitions', { source: 'third' });
    const updated = await repo.compareAndSet(
      run.id,
      { status: 'queued' },
      { contextMerge: { failures: [{ code: 'x', message: 'X.' }] }, diagnosticsMerge: { final_error: { class: 'E' } } },
    );
    expect(updated!.context.diagnostics).toEqual({
      lost_transitions: [{ source: 'other' }, { source: 'third' }],
      final_error: { class: 'E' },
    });
    expect(updated!.context.inputs).toEqual({});
    expect(updated!.context.failures).toEqual([{ code: 'x', message: 'X.' }]);
  });

  it('heartbeats only the current attempt of a running run', async () => {
    const { run } = await repo.insertQueuedOrFindActive(newRun());
    expect(await repo.touchHeartbeat(run.id, 0, new Date())).toBe(false); // still queued
    await repo.compareAndSet(run.id, { status: 'queued' }, { status: 'running', attempts: 2 });
    expect(await repo.touchHeartbeat(run.id, 1, new Date())).toBe(false);
    expect(await repo.touchHeartbeat(run.id, 2, new Date('2030-01-01T00:00:00Z'))).toBe(true);
    expect((await repo.findById(run.id))!.lastHeartbeatAt).toEqual(new Date('2030-01-01T00:00:00Z'));
  });

  it('treats workspace-level runs (no environment) as one identity too', async () => {
    const first = await repo.insertQueuedOrFindActive(newRun('ws-level', null));
    const second = await repo.insertQueuedOrFindActive(newRun('ws-level', null));
    expect(first.created).toBe(true);
    expect(second).toEqual({ run: first.run, created: false });
  });

  it('frees the identity once the active run completes', async () => {
    const first = await repo.insertQueuedOrFindActive(newRun('reusable'));
    await repo.compareAndSet(first.run.id, { status: 'queued' }, { status: 'completed', outcome: 'cancelled', completedAt: new Date() });
    const next = await repo.insertQueuedOrFindActive(newRun('reusable'));
    expect(next.created).toBe(true);
    expect(next.run.id).not.toBe(first.run.id);
  });

  it('the database itself rejects non-numeric summary counts and a completed run without outcome', async () => {
    const { run } = await repo.insertQueuedOrFindActive(newRun());
    await expect(
      t.db.query(`update operation_runs set summary_counts = '{"total":"ten"}' where id = $1`, [run.id]),
    ).rejects.toThrow(/operation_runs_counts_chk/);
    await expect(
      t.db.query(`update operation_runs set status = 'completed' where id = $1`, [run.id]),
    ).rejects.toThrow(/operation_runs_terminal_chk/);
  });

  it('treats quotes and placeholders in values as data, never as SQL', async () => {
    const { run } = await repo.insertQueuedOrFindActive(newRun(`fp'); drop table operation_runs; -- ? $1`));
    const back = await repo.findById(run.id);
    expect(back!.fingerprint).toBe(`fp'); drop table operation_runs; -- ? $1`);
  });
});
