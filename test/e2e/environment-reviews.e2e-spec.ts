import request from 'supertest';
import { EnvironmentReviewComposeReconciliationAdapter } from '../../src/modules/environment-reviews/adapters/reconciliation/environment-review-compose.reconciliation-adapter';
import { AMBIGUOUS_LINEAGE_MESSAGE, decideCompose } from '../../src/modules/environment-reviews/core/compose-decision';
import {
  ENVIRONMENT_REVIEW_REPOSITORY,
  EnvironmentReviewRepository,
} from '../../src/modules/environment-reviews/core/ports/environment-review.repository.port';
import { EVIDENCE_SOURCE, EvidenceSource } from '../../src/modules/environment-reviews/core/ports/evidence-source.port';
import { OperationRun } from '../../src/modules/operations/core/operation-run';
import { OperationRunService } from '../../src/modules/operations/core/operation-run.service';
import { LifecycleReconciler } from '../../src/modules/reconciliation/core/lifecycle-reconciler';
import { ApiPersonas, issueDemoTokens, NOT_FOUND_BODY } from '../support/api-personas';
import { insertRunRow } from '../support/run-rows';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp, waitFor } from '../support/test-app';

/**
 * Environment reviews end to end over real PostgreSQL + Redis: compose runs through the
 * operations endpoint, reuse on unchanged evidence, supersession (with lineage) on new evidence,
 * composite progress while running, ambiguous lineage ending blocked, reconciliation of a killed
 * compose without a ghost draft, visibility, and the Markdown download.
 */
describe('environment reviews', () => {
  let t: TestApp;
  let scope: DemoScope;
  let personas: ApiPersonas;
  let runs: OperationRunService;
  let baselineId: string;
  let firstReviewId: string;
  let secondReviewId: string;
  const server = () => t.app.getHttpServer();
  const start = (env: string) => `/api/v1/workspaces/contoso-msp/environments/${env}/operations`;
  const reviewsOf = (env: string) => `/api/v1/workspaces/contoso-msp/environments/${env}/reviews`;
  const BASELINE_NAME = 'Contoso [security] *baseline* | v1';

  async function finished(runId: string): Promise<OperationRun> {
    return waitFor(
      () => runs.findById(runId),
      (run) => run?.status === 'completed',
      { timeoutMs: 30000, what: `run ${runId} to complete` },
    ) as Promise<OperationRun>;
  }

  async function dispatch(env: string, type: string, input?: unknown): Promise<OperationRun> {
    const { run } = await runs.dispatch({
      workspaceId: scope.workspaceId,
      environmentId: scope.environmentIds[env],
      type,
      input,
      initiatorUserId: null,
    });
    return finished(run.id);
  }

  async function compose(env: string): Promise<OperationRun> {
    const res = await request(server())
      .post(start(env))
      .set(personas.auth('owner'))
      .send({ type: 'environment.review.compose' })
      .expect(202);
    expect(res.body.run.type).toBe('environment.review.compose');
    return finished(res.body.run.id);
  }

  const relatedId = (run: OperationRun) => (run.context.related as { type: string; id: string }).id;

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web', 'worker'] });
    scope = await seedDemoScope(t);
    personas = await issueDemoTokens(t.db, scope);
    runs = t.get<OperationRunService>(OperationRunService);
    for (const env of ['contoso-hq', 'fabrikam']) expect((await dispatch(env, 'inventory.sync')).outcome).toBe('succeeded');
    const created = await request(server())
      .post('/api/v1/workspaces/contoso-msp/baselines')
      .set(personas.auth('owner'))
      .send({ name: BASELINE_NAME, source_environment: 'contoso-hq' })
      .expect(201);
    baselineId = created.body.id;
    expect((await dispatch('contoso-hq', 'baseline.capture', { baseline_id: baselineId })).outcome).toBe('succeeded');
    expect((await dispatch('fabrikam', 'baseline.compare', { baseline_id: baselineId })).outcome).toBe('succeeded');
  });

  afterAll(async () => {
    await t?.close();
  });

  it('composes a ready review from the three evidence sections', async () => {
    const run = await compose('fabrikam');
    expect(run.outcome).toBe('succeeded');
    expect(run.summaryCounts).toEqual({ total: 3, processed: 3 });
    expect(run.context.related).toMatchObject({ type: 'environment_review' });
    firstReviewId = relatedId(run);

    const detail = await request(server()).get(`${reviewsOf('fabrikam')}/${firstReviewId}`).set(personas.auth('operator')).expect(200);
    expect(detail.body).toMatchObject({ id: firstReviewId, status: 'ready', supersedes_review_id: null, run_id: run.id });
    expect(detail.body.period.label).toMatch(/^\d{4}-\d{2}$/);
    const byKey = Object.fromEntries(detail.body.sections.map((s: { key: string }) => [s.key, s]));
    expect(Object.keys(byKey)).toEqual(['baseline_drift', 'operations_health', 'inventory_coverage']);
    expect(byKey.baseline_drift).toMatchObject({ state: 'ready', data: { compare_results: [expect.objectContaining({ findings: 5 })] } });
    expect(byKey.baseline_drift.data.findings).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'setting_differs' })]),
    );
    const types = byKey.operations_health.data.runs.map((r: { type: string }) => r.type);
    expect(types).toEqual(['baseline.compare', 'inventory.sync']);
    expect(types).not.toContain('environment.review.compose');
    expect(byKey.inventory_coverage).toMatchObject({ state: 'ready', explanation: null });
    expect(byKey.inventory_coverage.data.last_successful_sync_at).toEqual(expect.any(String));
  });

  it('links a second compose over unchanged evidence to the same review instead of a duplicate', async () => {
    const run = await compose('fabrikam');
    expect(run.outcome).toBe('succeeded');
    expect(run.context.related).toEqual({ type: 'environment_review', id: firstReviewId });
    const rows = await t.db.query(`select id from environment_reviews where environment_id = $1`, [scope.environmentIds.fabrikam]);
    expect(rows).toHaveLength(1);
    const list = await request(server()).get(reviewsOf('fabrikam')).set(personas.auth('viewer')).expect(200);
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual([firstReviewId]);
  });

  it('supersedes the ready review when the evidence changes (a new compare), keeping lineage', async () => {
    expect((await dispatch('fabrikam', 'baseline.compare', { baseline_id: baselineId })).outcome).toBe('succeeded');
    const run = await compose('fabrikam');
    expect(run.outcome).toBe('succeeded');
    secondReviewId = relatedId(run);
    expect(secondReviewId).not.toBe(firstReviewId);
    const list = await request(server()).get(reviewsOf('fabrikam')).set(personas.auth('owner')).expect(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({ id: secondReviewId, status: 'ready', supersedes_review_id: firstReviewId, ready_at: expect.any(String) }),
      expect.objectContaining({ id: firstReviewId, status: 'superseded', supersedes_review_id: null }),
    ]);
    expect(list.body.items[0].fingerprint).not.toBe(list.body.items[1].fingerprint);
    for (const item of list.body.items) {
      expect(Object.keys(item).sort()).toEqual(['created_at', 'fingerprint', 'id', 'period', 'ready_at', 'status', 'supersedes_review_id']);
    }
  });

  it('shows composite progress ("1 of 3 evidence sections ready", no percent) while composing', async () => {
    const evidence = t.get<EvidenceSource>(EVIDENCE_SOURCE);
    const original = evidence.gather.bind(evidence);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const spy = jest.spyOn(evidence, 'gather').mockImplementation(async (key, s) => {
      if (key !== 'baseline_drift') await gate;
      return original(key, s);
    });
    try {
      const res = await request(server())
        .post(start('fabrikam'))
        .set(personas.auth('owner'))
        .send({ type: 'environment.review.compose', input: {} })
        .expect(202);
      const seen = await waitFor(
        async () => (await request(server()).get(`/api/v1/operations/${res.body.run.id}`).set(personas.auth('owner'))).body,
        (body) => body.progress?.composite?.parts?.[0]?.state === 'ready',
        { what: 'the compose to finish its first evidence section' },
      );
      expect(seen.progress.mode).toBe('composite');
      expect(seen.progress.label).toBe('1 of 3 evidence sections ready');
      expect(seen.progress.composite.parts.map((p: { key: string; state: string }) => [p.key, p.state])).toEqual([
        ['baseline_drift', 'ready'],
        ['operations_health', 'pending'],
        ['inventory_coverage', 'pending'],
      ]);
      expect(JSON.stringify(seen.progress)).not.toMatch(/percent/);
      // While it runs, the draft-free list still shows only published reviews.
      const list = await request(server()).get(reviewsOf('fabrikam')).set(personas.auth('owner')).expect(200);
      expect(list.body.items.every((r: { status: string }) => r.status !== 'draft')).toBe(true);
      release();
      const run = await finished(res.body.run.id);
      expect(run.outcome).toBe('succeeded');
      expect(run.context.related).toEqual({ type: 'environment_review', id: secondReviewId });
    } finally {
      release();
      spy.mockRestore();
    }
  });

  it('ends blocked (attention_required) on ambiguous lineage, composing nothing', async () => {
    // The partial unique index makes two ready reviews for one period impossible to store, so the
    // ambiguity is injected at the repository read; the database refusal is asserted separately.
    const repository = t.get<EnvironmentReviewRepository>(ENVIRONMENT_REVIEW_REPOSITORY);
    const original = repository.listForPeriod.bind(repository);
    const spy = jest.spyOn(repository, 'listForPeriod').mockImplementation(async (environmentId, period) => {
      const found = await original(environmentId, period);
      const ready = found.find((r) => r.status === 'ready')!;
      return [...found, { ...ready, id: '44444444-4444-4444-8444-444444444444', fingerprint: 'other' }];
    });
    const before = await t.db.query(`select id from environment_reviews`);
    try {
      const run = await compose('fabrikam');
      expect(run.outcome).toBe('blocked');
      expect(run.context.failures).toEqual([{ code: 'attention_required', message: AMBIGUOUS_LINEAGE_MESSAGE }]);
      expect(run.context.related).toBeUndefined();
    } finally {
      spy.mockRestore();
    }
    expect(await t.db.query(`select id from environment_reviews`)).toHaveLength(before.length);
    expect(decideCompose(
      [
        { id: 'a', status: 'ready', fingerprint: 'x' },
        { id: 'b', status: 'ready', fingerprint: 'y' },
      ],
      'x',
    )).toMatchObject({ kind: 'block', reason: 'attention_required' });

    await expect(
      t.db.query(
        `insert into environment_reviews (workspace_id, environment_id, period_from, period_to, period_label, status, fingerprint)
         select workspace_id, environment_id, period_from, period_to, period_label, 'ready', 'forged' from environment_reviews where id = $1`,
        [secondReviewId],
      ),
    ).rejects.toThrow(/environment_reviews_one_ready_uq/);
  });

  it('reconciles a compose killed mid-way without leaving a ghost draft', async () => {
    const environmentId = scope.environmentIds['contoso-hq'];
    const runId = await insertRunRow(t.db, {
      workspaceId: scope.workspaceId,
      environmentId,
      type: 'environment.review.compose',
      status: 'running',
      createdAgoS: 3600,
      heartbeatAgoS: 3600,
      context: { inputs: { period: { from: '2024-03-01', to: '2024-04-01', label: '2024-03' } } },
    });
    await t.db.query(
      `insert into environment_reviews (workspace_id, environment_id, period_from, period_to, period_label, fingerprint, run_id)
       values ($1, $2, '2024-03-01', '2024-04-01', '2024-03', 'half-done', $3)`,
      [scope.workspaceId, environmentId, runId],
    );
    const dry = await t.get<LifecycleReconciler>(LifecycleReconciler).sweep({ dryRun: true });
    expect(dry.by_reason).toMatchObject({ incomplete_review: 1 });
    // A dry run decides without its effect: the draft is still there and the run still running.
    expect(await t.db.query(`select status from environment_reviews where run_id = $1`, [runId])).toEqual([{ status: 'draft' }]);
    expect((await runs.findById(runId))!.status).toBe('running');
    const summary = await t.get<LifecycleReconciler>(LifecycleReconciler).sweep();
    expect(summary.by_reason).toMatchObject({ incomplete_review: 1 });
    const run = (await runs.findById(runId))!;
    expect(run).toMatchObject({ status: 'completed', outcome: 'failed' });
    expect(run.context.reconciliation).toMatchObject({ reason: 'incomplete_review', adapter: 'environment-review-compose' });
    expect(await t.db.query(`select id from environment_reviews where run_id = $1`, [runId])).toEqual([]);
    const list = await request(server()).get(reviewsOf('contoso-hq')).set(personas.auth('owner')).expect(200);
    expect(list.body.items).toEqual([]);
  });

  it('adapter: a published review → succeeded with related; nothing → no_review_recorded', async () => {
    const adapter = t.get<EnvironmentReviewComposeReconciliationAdapter>(EnvironmentReviewComposeReconciliationAdapter);
    const [row] = await t.db.query<{ run_id: string }>(`select run_id from environment_reviews where id = $1`, [secondReviewId]);
    expect(await adapter.decide({ id: row.run_id } as OperationRun)).toMatchObject({
      decision: 'succeeded',
      related: { type: 'environment_review', id: secondReviewId },
    });
    expect(await adapter.decide({ id: '55555555-5555-4555-8555-555555555555' } as OperationRun)).toMatchObject({
      decision: 'failed',
      reason: 'no_review_recorded',
    });
  });

  it('answers 404 to members not entitled to the environment, and for unknown reviews', async () => {
    // northwind is outside the operator's environments.
    const run = await compose('northwind');
    expect(run.outcome).toBe('succeeded');
    const id = relatedId(run);
    await request(server()).get(`${reviewsOf('northwind')}/${id}`).set(personas.auth('owner')).expect(200);
    for (const path of [reviewsOf('northwind'), `${reviewsOf('northwind')}/${id}`, `${reviewsOf('northwind')}/${id}.md`]) {
      const hidden = await request(server()).get(path).set(personas.auth('operator')).expect(404);
      expect(hidden.body).toEqual(NOT_FOUND_BODY);
      await request(server()).get(path).set(personas.auth('outsider')).expect(404);
    }
    // A review id under another environment, a malformed id and an unknown environment.
    await request(server()).get(`${reviewsOf('fabrikam')}/${id}`).set(personas.auth('owner')).expect(404);
    await request(server()).get(`${reviewsOf('fabrikam')}/not-a-uuid`).set(personas.auth('owner')).expect(404);
    await request(server()).get(reviewsOf('nope')).set(personas.auth('owner')).expect(404);
    await request(server()).get(reviewsOf('fabrikam')).expect(401);
    // Evidence that is absent is shown as missing with an explanation, never invented.
    const detail = await request(server()).get(`${reviewsOf('northwind')}/${id}`).set(personas.auth('owner')).expect(200);
    const drift = detail.body.sections.find((s: { key: string }) => s.key === 'baseline_drift');
    expect(drift).toMatchObject({ state: 'missing', data: null, explanation: 'No baseline compare finished in this period.' });
  });

  it('downloads a review as escaped Markdown', async () => {
    const res = await request(server()).get(`${reviewsOf('fabrikam')}/${secondReviewId}.md`).set(personas.auth('operator')).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/markdown/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="review-fabrikam-\d{4}-\d{2}\.md"$/);
    expect(res.text).toMatch(/^# Environment review: /);
    expect(res.text).toContain('## Baseline drift');
    expect(res.text).toContain('## Operations health');
    expect(res.text).toContain('## Inventory coverage');
    expect(res.text).toContain('Contoso \\[security\\] \\*baseline\\* \\| v1');
    expect(res.text).not.toContain(BASELINE_NAME);
    await request(server()).get(`${reviewsOf('fabrikam')}/not-a-uuid.md`).set(personas.auth('owner')).expect(404);
  });
});
