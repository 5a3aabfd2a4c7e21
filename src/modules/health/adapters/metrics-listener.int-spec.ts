import request from 'supertest';
import { OperationCatalog } from '../../operations/core/operation-catalog';
import { OperationRunService } from '../../operations/core/operation-run.service';
import { seedDemoScope } from '../../../../test/support/seed';
import { startTestApp, TestApp, waitForCompletedRun } from '../../../../test/support/test-app';
import { MetricsListener } from './metrics-listener';

const TOKEN = 'scrape-secret-0123456789';

/** The app's metrics listener on a free loopback port, as main.ts opens it on METRICS_LISTEN. */
async function openListener(t: TestApp): Promise<string> {
  const { port } = await t.get<MetricsListener>(MetricsListener).listen({ host: '127.0.0.1', port: 0 });
  return `http://127.0.0.1:${port}`;
}

/** The `name{labels} value` lines of one metric. */
function series(text: string, name: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));
}

describe('metrics listener against real PostgreSQL + Redis', () => {
  describe('an instance with the scheduler role (fleet gauges) and a worker', () => {
    let t: TestApp;
    let base: string;
    let types: string[];
    beforeAll(async () => {
      t = await startTestApp({ roles: ['web', 'worker', 'scheduler'] });
      base = await openListener(t);
      types = t.get<OperationCatalog>(OperationCatalog).types();
    });
    afterAll(() => t?.close());

    it('exports every type × active status series at 0 when nothing is active', async () => {
      const res = await request(base).get('/metrics').expect(200);
      expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      const expected = types.flatMap((type) => [
        `opsdeck_runs{type="${type}",status="queued"} 0`,
        `opsdeck_runs{type="${type}",status="running"} 0`,
      ]);
      expect(series(res.text, 'opsdeck_runs').sort()).toEqual(expected.sort());
      expect(series(res.text, 'opsdeck_runs_likely_stale').sort()).toEqual(
        types.map((type) => `opsdeck_runs_likely_stale{type="${type}"} 0`).sort(),
      );
    });

    it("exports prom-client's process and Node.js metrics under the opsdeck_ prefix", async () => {
      const res = await request(base).get('/metrics').expect(200);
      for (const name of ['opsdeck_process_cpu_user_seconds_total', 'opsdeck_process_resident_memory_bytes', 'opsdeck_nodejs_eventloop_lag_seconds', 'opsdeck_nodejs_heap_size_used_bytes']) {
        expect(res.text).toContain(`\n# TYPE ${name} `);
      }
      const unprefixed = res.text.split('\n').filter((line) => /^(# (HELP|TYPE) )?(process|nodejs)_/.test(line));
      expect(unprefixed).toEqual([]);
    });

    it('names metrics as Prometheus expects: only counters end in _total, every metric has help', async () => {
      const res = await request(base).get('/metrics').expect(200);
      const types = [...res.text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(([, name, type]) => ({ name, type }));
      expect(types.length).toBeGreaterThan(20);
      expect(types.filter(({ name, type }) => name.endsWith('_total') !== (type === 'counter'))).toEqual([]);
      const helped = new Set([...res.text.matchAll(/^# HELP (\S+) \S/gm)].map(([, name]) => name));
      expect(types.filter(({ name }) => !helped.has(name))).toEqual([]);
    });

    it('counts runs by canonical type and status, likely stale runs, and names the outcome label alike', async () => {
      const scope = await seedDemoScope(t);
      const service = t.get<OperationRunService>(OperationRunService);
      const { run } = await service.dispatch({
        workspaceId: scope.workspaceId,
        environmentId: scope.environmentIds['contoso-hq'],
        type: 'inventory.sync',
        initiatorUserId: null,
      });
      await waitForCompletedRun(service, run.id);
      // A running run under the legacy alias whose heartbeat is an hour old: active and likely stale.
      await t.db.query(
        `insert into operation_runs (id, workspace_id, environment_id, type, status, outcome, fingerprint, context,
           summary_counts, attempts, created_at, started_at, last_heartbeat_at, updated_at)
         values (gen_random_uuid(), $1, $2, 'inventory_sync', 'running', 'pending', 'stale-fp', '{}', '{}', 1,
           now() - interval '1 hour', now() - interval '1 hour', now() - interval '1 hour', now())`,
        [scope.workspaceId, scope.environmentIds['fabrikam']],
      );
      const res = await request(base).get('/metrics').expect(200);
      expect(series(res.text, 'opsdeck_runs')).toContain('opsdeck_runs{type="inventory.sync",status="running"} 1');
      expect(series(res.text, 'opsdeck_runs')).toContain('opsdeck_runs{type="inventory.sync",status="queued"} 0');
      expect(series(res.text, 'opsdeck_runs').some((line) => line.includes('inventory_sync'))).toBe(false);
      expect(series(res.text, 'opsdeck_runs_likely_stale')).toContain('opsdeck_runs_likely_stale{type="inventory.sync"} 1');
      expect(series(res.text, 'opsdeck_job_duration_seconds_count')).toEqual([
        'opsdeck_job_duration_seconds_count{type="inventory.sync",outcome="succeeded"} 1',
      ]);
      expect(series(res.text, 'opsdeck_runs_completed_total')).toEqual([
        'opsdeck_runs_completed_total{type="inventory.sync",outcome="succeeded"} 1',
      ]);
      expect(res.text).not.toContain('result=');
    });

    it('serves the health probes too, and nothing else', async () => {
      await request(base).get('/health/live').expect(200, { status: 'ok' });
      const ready = await request(base).get('/health/ready').expect(200);
      expect(ready.body).toMatchObject({ status: 'ok', roles: ['web', 'worker', 'scheduler'] });
      const missing = await request(base).get('/').expect(404);
      expect(missing.body).toEqual({ error: { code: 'not_found', message: 'Not found.' } });
      const post = await request(base).post('/metrics').expect(405);
      expect(post.headers.allow).toBe('GET, HEAD');
    });

    it('the public port serves no metrics: /metrics answers exactly as a route that does not exist', async () => {
      const server = t.app.getHttpServer();
      const metrics = await request(server).get('/metrics').expect(404);
      const unknown = await request(server).get('/no/such/route').expect(404);
      expect(metrics.text).toBe(unknown.text);
      expect(metrics.body).toEqual({ error: { code: 'not_found', message: 'Not found.' } });
    });
  });

  describe('an instance without the scheduler role', () => {
    let t: TestApp;
    let base: string;
    beforeAll(async () => {
      t = await startTestApp({ roles: ['web'] });
      base = await openListener(t);
    });
    afterAll(() => t?.close());

    it("exports its own counters and process metrics but not the fleet's gauges, which would add up per instance", async () => {
      const res = await request(base).get('/metrics').expect(200);
      expect(res.text).toContain('# TYPE opsdeck_runs_completed_total counter');
      expect(res.text).toContain('# TYPE opsdeck_process_cpu_user_seconds_total counter');
      expect(series(res.text, 'opsdeck_runs')).toEqual([]);
      expect(series(res.text, 'opsdeck_runs_likely_stale')).toEqual([]);
      expect(res.text).not.toContain('# TYPE opsdeck_runs gauge');
    });

    it('refuses to start on an address in use, naming METRICS_LISTEN', async () => {
      const port = Number(new URL(base).port);
      await expect(t.get<MetricsListener>(MetricsListener).listen({ host: '127.0.0.1', port })).rejects.toThrow(
        `METRICS_LISTEN 127.0.0.1:${port}: listen EADDRINUSE`,
      );
    });
  });

  describe('with METRICS_TOKEN set', () => {
    let t: TestApp;
    let base: string;
    beforeAll(async () => {
      t = await startTestApp({ roles: ['web'], env: { METRICS_TOKEN: TOKEN } });
      base = await openListener(t);
    });
    afterAll(() => t?.close());

    it('/metrics answers only the bearer token; the health probes need none', async () => {
      const anonymous = await request(base).get('/metrics').expect(401);
      expect(anonymous.body.error.code).toBe('unauthenticated');
      expect(anonymous.headers['www-authenticate']).toBe('Bearer');
      expect(anonymous.text).not.toContain('opsdeck_');
      await request(base).get('/metrics').set('Authorization', 'Bearer wrong').expect(401);
      await request(base).get('/metrics').set('Authorization', TOKEN).expect(401);
      const ok = await request(base).get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
      expect(ok.text).toContain('opsdeck_runs_completed_total');
      await request(base).get('/health/live').expect(200);
    });
  });
});
