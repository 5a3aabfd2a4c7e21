import request from 'supertest';
import { BaselineCaptureReconciliationAdapter } from '../../src/modules/baselines/adapters/reconciliation/baseline-capture.reconciliation-adapter';
import { BaselineCompareReconciliationAdapter } from '../../src/modules/baselines/adapters/reconciliation/baseline-compare.reconciliation-adapter';
import {
  BASELINE_COMPARE_REPOSITORY,
  BaselineCompareRepository,
} from '../../src/modules/baselines/core/ports/baseline-compare.repository.port';
import { CURRENT_INVENTORY, CurrentInventory } from '../../src/modules/baselines/core/ports/current-inventory.port';
import { OperationRun } from '../../src/modules/operations/core/operation-run';
import { OperationRunService } from '../../src/modules/operations/core/operation-run.service';
import { ApiPersonas, issueDemoTokens, NOT_FOUND_BODY } from '../support/api-personas';
import { insertRunRow } from '../support/run-rows';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp, waitFor } from '../support/test-app';

/** A well-formed id guaranteed to differ from `id` (flipping its last hex digit). */
const otherUuid = (id: string): string => id.slice(0, -1) + (id.endsWith('0') ? '1' : '0');

/**
 * Baselines end to end over real PostgreSQL + Redis: profiles over the API, capture and compare
 * runs through the operations endpoint, the fixture drift between contoso-hq and fabrikam,
 * dedupe, a compare resumed from its checkpoint after a failed attempt, reconciliation decisions,
 * phased progress while running, and findings visibility for limited members.
 */
describe('baselines', () => {
  let t: TestApp;
  let scope: DemoScope;
  let personas: ApiPersonas;
  let runs: OperationRunService;
  let baselineId: string;
  const server = () => t.app.getHttpServer();
  const BASE = '/api/v1/workspaces/contoso-msp/baselines';
  const start = (env: string) => `/api/v1/workspaces/contoso-msp/environments/${env}/operations`;

  async function finished(runId: string): Promise<OperationRun> {
    return waitFor(
      () => runs.findById(runId),
      (run) => run?.status === 'completed',
      { timeoutMs: 30000, what: `run ${runId} to complete` },
    ) as Promise<OperationRun>;
  }

  async function sync(env: string): Promise<void> {
    const { run } = await runs.dispatch({
      workspaceId: scope.workspaceId,
      environmentId: scope.environmentIds[env],
      type: 'inventory.sync',
      initiatorUserId: null,
    });
    expect((await finished(run.id)).outcome).toBe('succeeded');
  }

  function startRun(env: string, type: string, persona: 'owner' | 'operator' = 'owner') {
    return request(server())
      .post(start(env))
      .set(personas.auth(persona))
      .send({ type, input: { baseline_id: baselineId } });
  }

  beforeAll(async () => {
    t = await startTestApp({
      roles: ['web', 'worker'],
      env: { OPS_LIFECYCLE_OVERRIDES: JSON.stringify({ 'baseline.compare': { backoff: { type: 'fixed', delay_s: 0.2 } } }) },
    });
    scope = await seedDemoScope(t);
    personas = await issueDemoTokens(t.db, scope);
    runs = t.get<OperationRunService>(OperationRunService);
    await sync('contoso-hq');
    await sync('fabrikam');
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('profiles API', () => {
    it('creates a profile (baselines.manage) and lists it', async () => {
      const res = await request(server())
        .post(BASE)
        .set(personas.auth('owner'))
        .send({ name: 'Contoso security baseline', source_environment: 'contoso-hq' })
        .expect(201);
      baselineId = res.body.id;
      expect(res.body).toMatchObject({
        name: 'Contoso security baseline',
        source_environment: { slug: 'contoso-hq' },
        policy_kinds: [],
      });
      const list = await request(server()).get(BASE).set(personas.auth('viewer')).expect(200);
      expect(list.body.items.map((b: { id: string }) => b.id)).toEqual([baselineId]);
    });

    it('rejects a duplicate name of the same source (case-insensitive) with 409', async () => {
      const res = await request(server())
        .post(BASE)
        .set(personas.auth('owner'))
        .send({ name: 'CONTOSO security baseline', source_environment: 'contoso-hq' })
        .expect(409);
      expect(res.body.error.code).toBe('baseline_name_taken');
    });

    it('answers 400 for an unknown source environment, 403 without baselines.manage, 404 outside the workspace', async () => {
      const bad = await request(server())
        .post(BASE)
        .set(personas.auth('owner'))
        .send({ name: 'Other', source_environment: 'nope' })
        .expect(400);
      expect(bad.body.error.message).toBe('Environment "nope" was not found.');
      await request(server())
        .post(BASE)
        .set(personas.auth('operator'))
        .send({ name: 'Other', source_environment: 'contoso-hq' })
        .expect(403);
      const outsider = await request(server()).get(BASE).set(personas.auth('outsider')).expect(404);
      expect(outsider.body).toEqual(NOT_FOUND_BODY);
      await request(server()).get(`${BASE}/${baselineId}`).set(personas.auth('outsider')).expect(404);
      await request(server()).get(`${BASE}/not-a-uuid`).set(personas.auth('owner')).expect(404);
      await request(server()).post(BASE).set(personas.auth('owner')).send({ name: 'x' }).expect(400);
    });
  });

  describe('capture and compare', () => {
    let snapshotId: string;
    let fabrikamResultId: string;

    it('refuses a compare before any snapshot and a capture outside the source environment', async () => {
      const compare = await startRun('fabrikam', 'baseline.compare').expect(400);
      expect(compare.body.error.message).toBe('Baseline "Contoso security baseline" has no complete snapshot yet; capture it first.');
      const capture = await startRun('fabrikam', 'baseline.capture').expect(400);
      expect(capture.body.error.code).toBe('invalid_input');
      const unknown = await request(server())
        .post(start('contoso-hq'))
        .set(personas.auth('owner'))
        .send({ type: 'baseline.capture', input: { baseline_id: '00000000-0000-4000-8000-000000000000' } })
        .expect(400);
      expect(unknown.body.error.message).toBe('Baseline "00000000-0000-4000-8000-000000000000" was not found.');
    });

    it('captures the source into a complete snapshot', async () => {
      const res = await startRun('contoso-hq', 'baseline_capture').expect(202);
      expect(res.body.run.type).toBe('baseline.capture');
      const run = await finished(res.body.run.id);
      expect(run.outcome).toBe('succeeded');
      expect(run.summaryCounts).toEqual({ total: 42, processed: 42 });
      expect(run.context.related).toMatchObject({ type: 'baseline_snapshot' });
      snapshotId = (run.context.related as { id: string }).id;
      const detail = await request(server()).get(`${BASE}/${baselineId}`).set(personas.auth('operator')).expect(200);
      expect(detail.body.snapshots).toEqual([
        expect.objectContaining({ id: snapshotId, run_id: run.id, status: 'complete', item_count: 42 }),
      ]);
    });

    it('compares fabrikam: exactly the fixture drift', async () => {
      const res = await startRun('fabrikam', 'baseline.compare', 'operator').expect(202);
      const run = await finished(res.body.run.id);
      expect(run.outcome).toBe('succeeded');
      expect(run.context.related).toMatchObject({ type: 'baseline_compare_result' });
      fabrikamResultId = (run.context.related as { id: string }).id;
      expect(run.summaryCounts).toEqual({ total: 43, processed: 43, findings: 5 });

      const findings = await request(server())
        .get(`${BASE}/${baselineId}/compare-results/${fabrikamResultId}/findings`)
        .set(personas.auth('operator'))
        .expect(200);
      const byType = (type: string) => findings.body.items.filter((f: { type: string }) => f.type === type);
      expect(byType('missing_in_target')).toEqual([
        expect.objectContaining({ kind: 'conditionalAccessPolicy', display_name: 'CA005: Block access from untrusted countries' }),
      ]);
      expect(byType('unexpected_in_target')).toEqual([
        expect.objectContaining({ kind: 'deviceConfiguration', display_name: 'Fabrikam - Legacy VPN profile' }),
      ]);
      expect(byType('setting_differs')).toHaveLength(3);
      for (const finding of byType('setting_differs')) expect(finding.changes.length).toBeGreaterThan(0);
      for (const finding of [...byType('missing_in_target'), ...byType('unexpected_in_target')]) {
        expect(finding).not.toHaveProperty('changes');
      }
      expect(findings.body.next_cursor).toBeNull();
    });

    it('pages and filters findings', async () => {
      const path = `${BASE}/${baselineId}/compare-results/${fabrikamResultId}/findings`;
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: request.Response = await request(server())
          .get(path)
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .set(personas.auth('owner'))
          .expect(200);
        seen.push(...res.body.items.map((f: { id: string }) => f.id));
        cursor = res.body.next_cursor;
      } while (cursor);
      expect(new Set(seen).size).toBe(5);
      const filtered = await request(server()).get(path).query({ type: 'setting_differs' }).set(personas.auth('owner')).expect(200);
      expect(filtered.body.items).toHaveLength(3);
      const kind = await request(server()).get(path).query({ kind: 'conditionalAccessPolicy', type: 'missing_in_target' }).set(personas.auth('owner')).expect(200);
      expect(kind.body.items).toHaveLength(1);
      await request(server()).get(path).query({ type: 'bogus' }).set(personas.auth('owner')).expect(400);
      await request(server()).get(path).query({ cursor: 'garbage' }).set(personas.auth('owner')).expect(400);
      await request(server()).get(path).query({ surprise: 1 }).set(personas.auth('owner')).expect(400);
    });

    it('compares contoso-hq with its own snapshot: no findings', async () => {
      const res = await startRun('contoso-hq', 'baseline.compare').expect(202);
      const run = await finished(res.body.run.id);
      expect(run.outcome).toBe('succeeded');
      expect(run.summaryCounts).toEqual({ total: 42, processed: 42, findings: 0 });
    });

    it('dedupes two identical starts into one run', async () => {
      const gate = holdInventoryReads();
      try {
        const first = await startRun('fabrikam', 'baseline.compare').expect(202);
        const second = await startRun('fabrikam', 'baseline_compare').expect(200);
        expect(second.body.run.id).toBe(first.body.run.id);
        expect(second.body.created).toBe(false);
        gate.release();
        expect((await finished(first.body.run.id)).outcome).toBe('succeeded');
      } finally {
        gate.restore();
      }
    });

    it('hides findings of an environment a limited member is not entitled to', async () => {
      // northwind is outside the operator's environments: its compare result answers 404.
      await bulkInventory('northwind', 3);
      const res = await startRun('northwind', 'baseline.compare').expect(202);
      const run = await finished(res.body.run.id);
      const resultId = (run.context.related as { id: string }).id;
      const path = `${BASE}/${baselineId}/compare-results/${resultId}/findings`;
      await request(server()).get(path).set(personas.auth('owner')).expect(200);
      const hidden = await request(server()).get(path).set(personas.auth('operator')).expect(404);
      expect(hidden.body).toEqual(NOT_FOUND_BODY);
      await request(server())
        .get(`${BASE}/${baselineId}/compare-results/${otherUuid(fabrikamResultId)}/findings`)
        .set(personas.auth('owner'))
        .expect(404);
    });

    it('resumes a compare from its checkpoint after a failed attempt, without duplicate findings', async () => {
      await bulkInventory('northwind', 1000);
      const repository = t.get<BaselineCompareRepository>(BASELINE_COMPARE_REPOSITORY);
      const original = repository.recordBatch.bind(repository);
      const checkpoints: { attempt: number; checkpoint: number }[] = [];
      let attempt = 1;
      const spy = jest.spyOn(repository, 'recordBatch').mockImplementation(async (id, findings, checkpoint) => {
        await original(id, findings, checkpoint);
        checkpoints.push({ attempt, checkpoint });
        if (attempt === 1 && checkpoints.length === 2) {
          attempt = 2;
          throw new Error('worker killed mid-way');
        }
      });
      try {
        const res = await startRun('northwind', 'baseline.compare').expect(202);
        const run = await finished(res.body.run.id);
        expect(run.outcome).toBe('succeeded');
        expect(run.attempts).toBe(2);
        // 42 baseline items (none in northwind) + 1000 bulk items: every pair is a finding.
        expect(run.summaryCounts).toEqual({ total: 1042, processed: 1042, findings: 1042 });
        expect(checkpoints.filter((c) => c.attempt === 1).map((c) => c.checkpoint)).toEqual([200, 400]);
        expect(checkpoints.filter((c) => c.attempt === 2).map((c) => c.checkpoint)).toEqual([600, 800, 1000, 1042]);
        const resultId = (run.context.related as { id: string }).id;
        const [row] = await t.db.query<{ n: number; distinct_keys: number; checkpoint: number; status: string }>(
          `select count(*)::int as n, count(distinct f.pair_key)::int as distinct_keys, r.checkpoint, r.status
           from baseline_compare_results r join baseline_findings f on f.compare_result_id = r.id
           where r.id = $1 group by r.id`,
          [resultId],
        );
        expect(row).toEqual({ n: 1042, distinct_keys: 1042, checkpoint: 1042, status: 'complete' });
        const results = await t.db.query(`select id from baseline_compare_results where run_id = $1`, [run.id]);
        expect(results).toHaveLength(1);
      } finally {
        spy.mockRestore();
      }
    });

    it('shows phased progress (current phase label, no percent) while running', async () => {
      const gate = holdInventoryReads();
      try {
        const res = await startRun('contoso-hq', 'baseline.capture').expect(202);
        const seen = await waitFor(
          async () => (await request(server()).get(`/api/v1/operations/${res.body.run.id}`).set(personas.auth('owner'))).body,
          (body) => body.progress?.phase?.key === 'capturing_evidence',
          { what: 'the capture to reach capturing_evidence' },
        );
        expect(seen.progress.mode).toBe('phased');
        expect(seen.progress.label).toBe('Capturing policy evidence');
        expect(seen.progress.phase).toMatchObject({ index: 2, count: 4 });
        expect(JSON.stringify(seen.progress)).not.toMatch(/percent/);
        gate.release();
        expect((await finished(res.body.run.id)).outcome).toBe('succeeded');
      } finally {
        gate.restore();
      }
    });
  });

  describe('reconciliation adapters', () => {
    const fakeRun = (id: string) => ({ id }) as OperationRun;

    it('capture: complete → succeeded; partial → failed incomplete_snapshot, unusable only once applied; none → no_snapshot_recorded', async () => {
      const adapter = t.get<BaselineCaptureReconciliationAdapter>(BaselineCaptureReconciliationAdapter);
      const [complete] = await t.db.query<{ id: string; run_id: string }>(
        `select id, run_id from baseline_snapshots where status = 'complete' limit 1`,
      );
      expect(await adapter.decide(fakeRun(complete.run_id))).toMatchObject({
        decision: 'succeeded',
        related: { type: 'baseline_snapshot', id: complete.id },
      });
      const partialRun = '11111111-1111-4111-8111-111111111111';
      const [partial] = await t.db.query<{ id: string }>(
        `insert into baseline_snapshots (profile_id, run_id) values ($1, $2) returning id`,
        [baselineId, partialRun],
      );
      const verdict = await adapter.decide(fakeRun(partialRun));
      expect(verdict).toMatchObject({ decision: 'failed', reason: 'incomplete_snapshot', apply: expect.any(Function) });
      const status = async () => (await t.db.query<{ status: string }>(`select status from baseline_snapshots where id = $1`, [partial.id]))[0].status;
      expect(await status()).toBe('capturing');
      await (verdict as { apply: () => Promise<void> }).apply();
      expect(await status()).toBe('unusable');
      expect(await adapter.decide(fakeRun('22222222-2222-4222-8222-222222222222'))).toMatchObject({
        decision: 'failed',
        reason: 'no_snapshot_recorded',
      });
    });

    it('compare: complete → succeeded; in progress → failed incomplete_compare, unusable only once applied', async () => {
      const adapter = t.get<BaselineCompareReconciliationAdapter>(BaselineCompareReconciliationAdapter);
      const [complete] = await t.db.query<{ id: string; run_id: string; snapshot_id: string }>(
        `select id, run_id, snapshot_id from baseline_compare_results where status = 'complete' limit 1`,
      );
      expect(await adapter.decide(fakeRun(complete.run_id))).toMatchObject({
        decision: 'succeeded',
        related: { type: 'baseline_compare_result', id: complete.id },
      });
      const partialRun = '33333333-3333-4333-8333-333333333333';
      const [partial] = await t.db.query<{ id: string }>(
        `insert into baseline_compare_results (profile_id, snapshot_id, target_environment_id, run_id)
         values ($1, $2, $3, $4) returning id`,
        [baselineId, complete.snapshot_id, scope.environmentIds.fabrikam, partialRun],
      );
      const [verdict] = (await adapter.decideMany([fakeRun(partialRun)])).values();
      expect(verdict).toMatchObject({ decision: 'failed', reason: 'incomplete_compare', apply: expect.any(Function) });
      const status = async () => (await t.db.query<{ status: string }>(`select status from baseline_compare_results where id = $1`, [partial.id]))[0].status;
      expect(await status()).toBe('in_progress');
      await (verdict as { apply: () => Promise<void> }).apply();
      expect(await status()).toBe('unusable');
    });
  });

  /** Holds every current-inventory read (capturing_evidence / collecting_current_state) until released. */
  function holdInventoryReads(): { release(): void; restore(): void } {
    const inventory = t.get<CurrentInventory>(CURRENT_INVENTORY);
    const original = inventory.list.bind(inventory);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const spy = jest.spyOn(inventory, 'list').mockImplementation(async (...args) => {
      await gate;
      return original(...args);
    });
    return {
      release: () => release(),
      restore: () => {
        release();
        spy.mockRestore();
      },
    };
  }

  /**
   * Replaces an environment's inventory with `count` generated items and records a succeeded
   * inventory.sync for it (fast; stands in for a fixture sync, which compares need first).
   */
  async function bulkInventory(env: string, count: number): Promise<void> {
    const environmentId = scope.environmentIds[env];
    await t.db.query('delete from inventory_items where environment_id = $1', [environmentId]);
    await t.db.query(
      `insert into inventory_items (environment_id, kind, external_id, display_name, settings, content_hash)
       select $1, 'deviceConfiguration', 'bulk-' || lpad(n::text, 5, '0'), 'Bulk policy ' || n,
              jsonb_build_object('passwordMinimumLength', n), md5(n::text)
       from generate_series(1, $2::int) as n`,
      [environmentId, count],
    );
    await insertRunRow(t.db, { workspaceId: scope.workspaceId, environmentId, type: 'inventory.sync', status: 'completed', outcome: 'succeeded' });
  }
});
