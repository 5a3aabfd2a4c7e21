import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp, waitFor, waitForCompletedRun } from '../../../../test/support/test-app';
import { DemoScope, seedDemoScope } from '../../../../test/support/seed';
import { TEST_OPERATION_TYPES, TestHandlersModule } from '../../../../test/support/test-handlers';
import { OperationRunService } from '../../operations/core/operation-run.service';
import { OPERATION_COMPLETED, OPERATION_RECONCILED } from '../../../shared/core/audit-trail/audit-actions';

interface AuditRow {
  action: string;
  actor_user_id: string | null;
  actor_label: string;
  workspace_id: string;
  environment_id: string | null;
  subject_type: string;
  metadata: Record<string, unknown>;
}

const eventsFor = (t: TestApp, runId: string) =>
  t.db.query<AuditRow>(
    `select action, actor_user_id, actor_label, workspace_id, environment_id, subject_type, metadata
       from audit_events where subject_type = 'operation_run' and subject_id = $1 order by id`,
    [runId],
  );

describe('completed runs are audited (real PostgreSQL + Redis)', () => {
  describe('with a worker', () => {
    let t: TestApp;
    let scope: DemoScope;
    let service: OperationRunService;

    beforeAll(async () => {
      t = await startTestApp({ extraTypes: TEST_OPERATION_TYPES, imports: [TestHandlersModule] });
      scope = await seedDemoScope(t);
      service = t.get<OperationRunService>(OperationRunService);
    });

    afterAll(async () => {
      await t?.close();
    });

    const terminal = (id: string) => waitForCompletedRun(service, id);

    it('a successful inventory.sync leaves exactly one operation.completed event by the system', async () => {
      const { run } = await service.dispatch({
        workspaceId: scope.workspaceId,
        environmentId: scope.environmentIds['contoso-hq'],
        type: 'inventory.sync',
        initiatorUserId: null,
      });
      await terminal(run.id);
      const events = await waitFor(() => eventsFor(t, run.id), (rows) => rows.length > 0, { what: 'the audit event' });
      // Give a duplicate write the chance to show up before asserting there is none.
      await new Promise((r) => setTimeout(r, 300));
      expect(await eventsFor(t, run.id)).toHaveLength(1);
      expect(events[0]).toEqual({
        action: OPERATION_COMPLETED,
        actor_user_id: null,
        actor_label: 'system',
        workspace_id: scope.workspaceId,
        environment_id: scope.environmentIds['contoso-hq'],
        subject_type: 'operation_run',
        metadata: { type: 'inventory.sync', outcome: 'succeeded', failure_codes: [] },
      });
    });

    it('a run failed by the failed-job bridge is audited with its failure code and no raw error', async () => {
      const { run } = await service.dispatch({
        workspaceId: scope.workspaceId,
        environmentId: scope.environmentIds['fabrikam'],
        type: 'test.always_fails',
        initiatorUserId: null,
      });
      await terminal(run.id);
      const events = await waitFor(() => eventsFor(t, run.id), (rows) => rows.length > 0, { what: 'the audit event' });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        action: OPERATION_COMPLETED,
        actor_label: 'system',
        metadata: { type: 'test.always_fails', outcome: 'failed', failure_codes: ['job_failed'] },
      });
      expect(JSON.stringify(events)).not.toMatch(/ECONNREFUSED|TLSSocket|secret/);
    });
  });

  describe('without a worker', () => {
    let t: TestApp;
    let scope: DemoScope;
    let service: OperationRunService;

    beforeAll(async () => {
      // Not `roles: []`: an empty APP_ROLES falls back to every role, worker included.
      t = await startTestApp({ roles: ['web'] });
      scope = await seedDemoScope(t);
      service = t.get<OperationRunService>(OperationRunService);
    });

    afterAll(async () => {
      await t?.close();
    });

    it('a run closed by the bridge for a lost worker is audited as operation.reconciled, attributed to its initiator', async () => {
      const initiator = randomUUID();
      const { run } = await service.dispatch({
        workspaceId: scope.workspaceId,
        environmentId: scope.environmentIds['northwind'],
        type: 'inventory.sync',
        initiatorUserId: initiator,
      });
      const failed = await service.failFromQueue(
        run.id,
        'worker_lost',
        { class: 'Error', message: 'job stalled more than allowable limit (secret host 10.0.0.7)' },
        'The worker processing this run stopped responding.',
      );
      expect(failed?.status).toBe('completed');
      const events = await eventsFor(t, run.id);
      expect(events).toEqual([
        {
          action: OPERATION_RECONCILED,
          actor_user_id: initiator,
          actor_label: 'user',
          workspace_id: scope.workspaceId,
          environment_id: scope.environmentIds['northwind'],
          subject_type: 'operation_run',
          metadata: {
            type: 'inventory.sync',
            outcome: 'failed',
            reason: 'worker_lost',
            source: 'failed_job_bridge',
            adapter: null,
            previous_status: 'queued',
          },
        },
      ]);
      expect(JSON.stringify(events)).not.toMatch(/10\.0\.0\.7|stalled more/);
    });

    it('a run whose audit write fails still completes', async () => {
      const { run } = await service.dispatch({
        workspaceId: scope.workspaceId,
        environmentId: scope.environmentIds['contoso-hq'],
        type: 'inventory.sync',
        initiatorUserId: null,
      });
      const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      // Make the next audit insert fail inside PostgreSQL (existing rows are left unchecked).
      await t.db.query(`alter table audit_events add constraint audit_refuses_all check (false) not valid`);
      try {
        const failed = await service.failFromQueue(run.id, 'job_failed', { class: 'Error', message: 'boom' }, 'Failed.');
        expect(failed?.status).toBe('completed');
        expect((await service.findById(run.id))?.status).toBe('completed');
        expect(await eventsFor(t, run.id)).toEqual([]);
        expect(logged).toHaveBeenCalledWith(
          `Could not audit the completion of run ${run.id}: new row for relation "audit_events" violates check constraint "audit_refuses_all"`,
        );
      } finally {
        logged.mockRestore();
        await t.db.query(`alter table audit_events drop constraint audit_refuses_all`);
      }
    });
  });
});
