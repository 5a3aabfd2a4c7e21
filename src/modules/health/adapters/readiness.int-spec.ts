import request from 'supertest';
import { issueDemoTokens } from '../../../../test/support/api-personas';
import { PrivateRedis, startPrivateRedis } from '../../../../test/support/private-redis';
import { seedDemoScope } from '../../../../test/support/seed';
import { startTestApp, TestApp, waitFor } from '../../../../test/support/test-app';

/**
 * /health/ready per role (README, "Metrics and health"): one instance per role on one Redis of the
 * test's own, which the test stops. Each instance has a database of its own, so the web instance's
 * fleet has no worker at all.
 */
describe('readiness per role against real PostgreSQL and a private Redis', () => {
  let redis: PrivateRedis;
  let web: TestApp;
  let worker: TestApp;
  let scheduler: TestApp;

  const ready = (t: TestApp) => request(t.app.getHttpServer()).get('/health/ready');

  beforeAll(async () => {
    redis = await startPrivateRedis();
    const env = { REDIS_URL: redis.url };
    [web, worker, scheduler] = await Promise.all([
      startTestApp({ roles: ['web'], env }),
      startTestApp({ roles: ['worker'], env }),
      startTestApp({ roles: ['scheduler'], env }),
    ]);
  });

  afterAll(async () => {
    // Back up first: a worker closing against a dead Redis would wait for its reconnects.
    if (redis && !redis.running) await redis.start();
    // One at a time, as the other private-Redis suites do: parallel closes hung once under load.
    for (const t of [web, worker, scheduler]) await t?.close();
    await redis?.dispose();
  });

  it('/health/live answers 200', async () => {
    await request(web.app.getHttpServer()).get('/health/live').expect(200, { status: 'ok' });
  });

  it('a web instance is ready with no worker anywhere; the fleet status stays in the details', async () => {
    const res = await ready(web).expect(200);
    expect(res.body).toMatchObject({ status: 'ok', roles: ['web'], error: {} });
    expect(Object.keys(res.body.info).sort()).toEqual(['database', 'migrations']);
    expect(res.body.details.redis).toEqual({ status: 'up', required: false });
    expect(res.body.details.fleet_workers).toEqual({
      status: 'down',
      message: 'No worker heartbeat in the last 30s',
      fresh: 0,
      last_heartbeat_age_s: null,
      required: false,
    });
    expect(res.body.details).not.toHaveProperty('worker');
  });

  it('a worker is ready on its own Redis connection and heartbeat; a scheduler on its Redis connection', async () => {
    const w = await ready(worker).expect(200);
    expect(w.body.roles).toEqual(['worker']);
    expect(Object.keys(w.body.info).sort()).toEqual(['database', 'migrations', 'redis', 'worker']);
    expect(w.body.info.worker).toEqual({ status: 'up', last_heartbeat_age_s: expect.any(Number) });
    expect(w.body.details.fleet_workers).toMatchObject({ status: 'up', fresh: 1, required: false });

    const s = await ready(scheduler).expect(200);
    expect(Object.keys(s.body.info).sort()).toEqual(['database', 'migrations', 'redis']);
    expect(s.body.details).not.toHaveProperty('worker');
    expect(s.body.details.fleet_workers).toMatchObject({ status: 'down', fresh: 0, required: false });
  });

  it("a worker whose own heartbeat is missing is not ready, although another instance's is fresh", async () => {
    await worker.db.query('delete from worker_heartbeats');
    await worker.db.query(
      `insert into worker_heartbeats (instance_id, hostname, pid, roles, started_at, last_seen_at)
       values ('other-host:4242:abcdef12', 'other-host', 4242, 'worker', now(), now())`,
    );
    const res = await ready(worker).expect(503);
    expect(res.body.status).toBe('error');
    expect(res.body.error.worker).toEqual({
      status: 'down',
      message: 'This instance recorded no worker heartbeat in the last 30s',
    });
    expect(res.body.details.fleet_workers).toMatchObject({ status: 'up', fresh: 1, required: false });
    // Its next heartbeat (every 10 s) makes it ready again.
    await waitFor(() => ready(worker).then((r) => r.status), (status) => status === 200, {
      timeoutMs: 20_000,
      intervalMs: 500,
      what: 'the worker to heartbeat again',
    });
  });

  describe('with Redis stopped', () => {
    beforeAll(() => redis.stop());

    it('a web instance stays ready: reads work and starts answer 503 dispatch_failed', async () => {
      const scope = await seedDemoScope(web);
      const personas = await issueDemoTokens(web.db, scope);
      const res = await ready(web).expect(200);
      expect(res.body.status).toBe('ok');
      expect(res.body.details.redis).toEqual({ status: 'down', message: 'Redis is unreachable', required: false });

      await request(web.app.getHttpServer())
        .get('/api/v1/workspaces/contoso-msp/operations')
        .set(personas.auth('owner'))
        .expect(200);
      const start = await request(web.app.getHttpServer())
        .post('/api/v1/workspaces/contoso-msp/environments/contoso-hq/operations')
        .set(personas.auth('owner'))
        .send({ type: 'inventory.sync' });
      expect(start.status).toBe(503);
      expect(start.body.error.code).toBe('dispatch_failed');
    });

    it('a worker and a scheduler are not ready without their own Redis connection', async () => {
      for (const t of [worker, scheduler]) {
        const res = await ready(t).expect(503);
        expect(res.body.error.redis).toEqual({ status: 'down', message: 'Redis is unreachable' });
        expect(res.body.details.database.status).toBe('up');
        expect(res.body.details.migrations.status).toBe('up');
        expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|stack/i);
      }
    });

    it('all are ready again once Redis is back', async () => {
      await redis.start();
      await waitFor(() => ready(web).then((r) => r.body.details?.redis?.status), (status) => status === 'up', {
        timeoutMs: 10_000,
        intervalMs: 200,
        what: "the web instance's Redis connection to be up again",
      });
      for (const t of [worker, scheduler]) {
        await waitFor(() => ready(t).then((r) => r.status), (status) => status === 200, {
          timeoutMs: 10_000,
          intervalMs: 200,
          what: `${t.config.roles.join(',')} to be ready again`,
        });
      }
    });
  });
});
