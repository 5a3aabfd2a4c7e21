import request from 'supertest';
import { OperationRunService } from '../../../modules/operations/core/operation-run.service';
import { DomainError } from '../../core/domain-error';
import { startTestApp, TestApp, waitFor } from '../../../../test/support/test-app';
import { seedDemoScope } from '../../../../test/support/seed';

describe('health and metrics against real PostgreSQL + Redis', () => {
  describe('with every dependency up and a worker running', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ roles: ['web', 'worker'] });
    });
    afterAll(() => t?.close());

    it('/health/live answers 200', async () => {
      await request(t.app.getHttpServer()).get('/health/live').expect(200, { status: 'ok' });
    });

    it('/health/ready is 200 with database, redis, migrations and worker up', async () => {
      const res = await request(t.app.getHttpServer()).get('/health/ready').expect(200);
      expect(res.body.status).toBe('ok');
      for (const check of ['database', 'redis', 'migrations', 'worker']) {
        expect(res.body.details[check].status).toBe('up');
      }
    });

    it('/metrics exposes runs by type/status, likely stale runs and job durations', async () => {
      const scope = await seedDemoScope(t);
      const service = t.get<OperationRunService>(OperationRunService);
      const { run } = await service.dispatch({
        workspaceId: scope.workspaceId,
        environmentId: scope.environmentIds['contoso-hq'],
        type: 'inventory.sync',
        initiatorUserId: null,
      });
      await waitFor(() => service.findById(run.id), (r) => r?.status === 'completed');
      // A running run whose heartbeat is far in the past counts as likely stale.
      await t.db.query(
        `insert into operation_runs (id, workspace_id, environment_id, type, status, outcome, fingerprint, context,
           summary_counts, attempts, created_at, started_at, last_heartbeat_at, updated_at)
         values (gen_random_uuid(), $1, $2, 'inventory.sync', 'running', 'pending', 'stale-fp', '{}', '{}', 1,
           now() - interval '1 hour', now() - interval '1 hour', now() - interval '1 hour', now())`,
        [scope.workspaceId, scope.environmentIds['fabrikam']],
      );
      const res = await request(t.app.getHttpServer()).get('/metrics').expect(200);
      expect(res.headers['content-type']).toContain('text/plain');
      expect(res.text).toContain('opsdeck_runs{type="inventory.sync",status="running"} 1');
      expect(res.text).toContain('opsdeck_runs_likely_stale{type="inventory.sync"} 1');
      expect(res.text).toMatch(/opsdeck_job_duration_seconds_count\{type="inventory.sync",result="succeeded"\} 1/);
      expect(res.text).toContain('opsdeck_runs_completed_total{type="inventory.sync",outcome="succeeded"} 1');
    });

    it('unknown routes answer a JSON 404 without internals', async () => {
      const res = await request(t.app.getHttpServer()).get('/no/such/route').expect(404);
      expect(res.body).toEqual({ error: { code: 'not_found', message: 'Not found.' } });
    });
  });

  describe('with METRICS_TOKEN set', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ roles: ['web'], env: { METRICS_TOKEN: 'scrape-secret-0123456789' } });
    });
    afterAll(() => t?.close());

    it('/metrics answers only the bearer token', async () => {
      const anonymous = await request(t.app.getHttpServer()).get('/metrics').expect(401);
      expect(anonymous.body.error.code).toBe('unauthenticated');
      await request(t.app.getHttpServer()).get('/metrics').set('Authorization', 'Bearer wrong').expect(401);
      const ok = await request(t.app.getHttpServer())
        .get('/metrics')
        .set('Authorization', 'Bearer scrape-secret-0123456789')
        .expect(200);
      expect(ok.text).toContain('opsdeck_runs_completed_total');
    });
  });

  describe('with Redis unreachable', () => {
    let t: TestApp;
    beforeAll(async () => {
      // Port 1 refuses connections: the queue can never accept a job.
      t = await startTestApp({ roles: ['web'], env: { REDIS_URL: 'redis://127.0.0.1:1' } });
    });
    afterAll(() => t?.close());

    it('dispatch ends the run failed with dispatch_failed: no ghost queued run', async () => {
      const scope = await seedDemoScope(t);
      const service = t.get<OperationRunService>(OperationRunService);
      const error = await service
        .dispatch({
          workspaceId: scope.workspaceId,
          environmentId: scope.environmentIds['contoso-hq'],
          type: 'inventory.sync',
          initiatorUserId: null,
        })
        .then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('dispatch_failed');
      expect((error as DomainError).kind).toBe('unavailable');
      const rows = await t.db.query<{ status: string; outcome: string; context: { failures: { code: string }[] } }>(
        'select status, outcome, context from operation_runs',
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 'completed', outcome: 'failed' });
      expect(rows[0].context.failures[0].code).toBe('dispatch_failed');
    });

    it('/health/ready is 503 and names redis (and the missing worker) as failing', async () => {
      const res = await request(t.app.getHttpServer()).get('/health/ready').expect(503);
      expect(res.body.status).toBe('error');
      expect(res.body.error.redis).toEqual({ status: 'down', message: 'Redis is unreachable' });
      expect(res.body.details.database.status).toBe('up');
      expect(res.body.details.migrations.status).toBe('up');
      expect(res.body.error.worker.status).toBe('down');
      expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|stack/i);
    });
  });
});
