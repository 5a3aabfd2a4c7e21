import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CompletionAuditEvent } from '../../core/ports/completion-audit.port';
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
    expect(await repo.touchHeartbeat(run.id, 0, new Date())).toBe('gone'); // still queued
    await repo.compareAndSet(run.id, { status: 'queued' }, { status: 'running', attempts: 2 });
    expect(await repo.touchHeartbeat(run.id, 1, new Date())).toBe('gone');
    expect(await repo.touchHeartbeat(run.id, 2, new Date('2030-01-01T00:00:00Z'))).toBe('alive');
    expect((await repo.findById(run.id))!.lastHeartbeatAt).toEqual(new Date('2030-01-01T00:00:00Z'));
  });

  it('a heartbeat answers cancel_requested once a cancel is on record, and still records the beat', async () => {
    const { run } = await repo.insertQueuedOrFindActive(newRun());
    await repo.compareAndSet(run.id, { status: 'queued' }, { status: 'running', attempts: 1 });
    expect(await repo.touchHeartbeat(run.id, 1, new Date())).toBe('alive');
    await repo.compareAndSet(run.id, { status: 'running' }, {
      contextMerge: { cancellation: { requested_by: null, requested_at: new Date().toISOString() } },
    });
    expect(await repo.touchHeartbeat(run.id, 1, new Date('2031-01-01T00:00:00Z'))).toBe('cancel_requested');
    expect((await repo.findById(run.id))!.lastHeartbeatAt).toEqual(new Date('2031-01-01T00:00:00Z'));
    // A malformed value someone wrote by hand is not a cancel.
    const other = (await repo.insertQueuedOrFindActive(newRun())).run;
    await repo.compareAndSet(other.id, { status: 'queued' }, { status: 'running', attempts: 1, contextMerge: { cancellation: 'x' as never } });
    expect(await repo.touchHeartbeat(other.id, 1, new Date())).toBe('alive');
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

  it('its prepared statements survive a migration that adds a column (no `select *` result type to break)', async () => {
    const { run } = await repo.insertQueuedOrFindActive(newRun());
    for (let i = 0; i < 12; i++) await repo.findById(run.id); // prepared on every pooled connection used
    await t.db.query('alter table operation_runs add column added_by_a_later_migration integer');
    try {
      for (let i = 0; i < 12; i++) expect((await repo.findById(run.id))?.id).toBe(run.id);
      const started = await repo.compareAndSet(run.id, { status: 'queued', attempts: 0 }, { status: 'running', attempts: 1 });
      expect(started).toMatchObject({ status: 'running', attempts: 1 });
      expect(started).not.toHaveProperty('added_by_a_later_migration');
    } finally {
      await t.db.query('alter table operation_runs drop column added_by_a_later_migration');
    }
  });

  describe('a completion writes its audit event in the same statement', () => {
    const auditOf = (runId: string) =>
      t.db.query<{ at: Date; actor_label: string; action: string; subject_id: string; environment_id: string | null; metadata: unknown }>(
        `select at, actor_label, action, subject_id, environment_id, metadata from audit_events
          where subject_type = 'operation_run' and subject_id = $1`,
        [runId],
      );
    const eventFor = (runId: string, metadata: Record<string, unknown> = { outcome: 'succeeded' }): CompletionAuditEvent => ({
      actorUserId: null,
      actorLabel: 'system',
      workspaceId: scope.workspaceId,
      environmentId: scope.environmentIds['contoso-hq'],
      action: 'operation.completed',
      subjectType: 'operation_run',
      subjectId: runId,
      metadata,
    });
    const running = async () => {
      const { run } = await repo.insertQueuedOrFindActive(newRun());
      return (await repo.compareAndSet(run.id, { status: 'queued', attempts: 0 }, { status: 'running', attempts: 1 }))!;
    };

    it('compareAndSet inserts the event, timed at the completion, only when it applies', async () => {
      const run = await running();
      const completedAt = new Date('2026-12-01T10:00:00.123Z');
      const change = { status: 'completed' as const, outcome: 'succeeded' as const, completedAt };
      expect(await repo.compareAndSet(run.id, { status: 'running', attempts: 2 }, change, eventFor(run.id))).toBeNull();
      expect(await auditOf(run.id)).toEqual([]);
      const done = await repo.compareAndSet(run.id, { status: 'running', attempts: 1 }, change, eventFor(run.id, { outcome: 'succeeded', note: `it's "quoted" ? $1` }));
      expect(done).toMatchObject({ id: run.id, status: 'completed', outcome: 'succeeded', completedAt });
      expect(await auditOf(run.id)).toEqual([
        {
          at: completedAt,
          actor_label: 'system',
          action: 'operation.completed',
          subject_id: run.id,
          environment_id: scope.environmentIds['contoso-hq'],
          metadata: { outcome: 'succeeded', note: `it's "quoted" ? $1` },
        },
      ]);
      // A late second completion loses: no second event.
      expect(await repo.compareAndSet(run.id, { status: 'running', attempts: 1 }, change, eventFor(run.id))).toBeNull();
      expect(await auditOf(run.id)).toHaveLength(1);
    });

    it('a completion whose statement fails writes neither the transition nor the event', async () => {
      const run = await running();
      // completed without an outcome violates operation_runs_terminal_chk: the whole statement rolls back.
      await expect(
        repo.compareAndSet(run.id, { status: 'running' }, { status: 'completed', outcome: 'pending' }, eventFor(run.id)),
      ).rejects.toThrow(/operation_runs_terminal_chk/);
      expect(await repo.findById(run.id)).toMatchObject({ status: 'running' });
      expect(await auditOf(run.id)).toEqual([]);
    });

    it('completeMany inserts the events of the winners only', async () => {
      const [a, b, c] = [await running(), await running(), await running()];
      await repo.compareAndSet(b.id, { status: 'running' }, { status: 'completed', outcome: 'succeeded', completedAt: new Date() });
      const completedAt = new Date('2026-12-01T11:00:00Z');
      const item = (id: string, audit?: CompletionAuditEvent) => ({
        id,
        expectedStatus: 'running' as const,
        expectedAttempts: 1,
        change: { status: 'completed' as const, outcome: 'failed' as const, completedAt },
        audit,
      });
      const won = await repo.completeMany([
        item(a.id, eventFor(a.id, { outcome: 'failed', reason: 'stale_running' })),
        item(b.id, eventFor(b.id)),
        item(c.id), // no event asked for
      ]);
      expect(won.map((r) => r.id).sort()).toEqual([a.id, c.id].sort());
      expect(won.every((r) => !('audit_event' in r))).toBe(true);
      expect(await auditOf(a.id)).toEqual([
        expect.objectContaining({ at: completedAt, action: 'operation.completed', metadata: { outcome: 'failed', reason: 'stale_running' } }),
      ]);
      expect(await auditOf(b.id)).toEqual([]);
      expect(await auditOf(c.id)).toEqual([]);
    });

    it('when the audit log refuses the events, the batch still completes without them (the audit log never blocks run truth)', async () => {
      const [a, b] = [await running(), await running()];
      const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      await t.db.query(`alter table audit_events add constraint audit_refuses_batch check (false) not valid`);
      try {
        const change = { status: 'completed' as const, outcome: 'failed' as const, completedAt: new Date() };
        const won = await repo.completeMany([a, b].map((r) => ({ id: r.id, expectedStatus: 'running' as const, change, audit: eventFor(r.id) })));
        expect(won.map((r) => r.status)).toEqual(['completed', 'completed']);
        expect(logged).toHaveBeenCalledWith(expect.stringMatching(/^Could not audit the completion of 2 runs: .*audit_refuses_batch/));
      } finally {
        logged.mockRestore();
        await t.db.query(`alter table audit_events drop constraint audit_refuses_batch`);
      }
      expect([...(await auditOf(a.id)), ...(await auditOf(b.id))]).toEqual([]);
    });
  });
});
