import request from 'supertest';
import { OperationRun } from '../../src/modules/operations/core/operation-run';
import { OperationRunService } from '../../src/modules/operations/core/operation-run.service';
import { DEMO_USERS } from '../../src/cli/demo-seed';
import { formatInstant } from '../../src/shared/adapters/views/view-helpers';
import { ApiPersonas, issueDemoTokens } from '../support/api-personas';
import { signInAs } from '../support/browser-session';
import { insertRunRow } from '../support/run-rows';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp, waitForCompletedRun } from '../support/test-app';

/**
 * Empty evidence is not "no drift": a capture or compare reads an environment's inventory only
 * after an inventory sync of it succeeded, else the run ends blocked saying what to do and writes
 * nothing; and every surface of a compare states the inventory time it used.
 */
describe('baseline evidence needs a completed inventory sync', () => {
  let t: TestApp;
  let scope: DemoScope;
  let personas: ApiPersonas;
  let runs: OperationRunService;
  let ownerCookie: string;
  const profiles = {} as Record<'hq' | 'northwind', string>;
  const server = () => t.app.getHttpServer();
  const api = (path: string) => request(server()).get(path).set(personas.auth('owner'));
  const page = (path: string) => request(server()).get(path).set('Cookie', ownerCookie).set('Accept', 'text/html');

  /** Starts a run as the owner through the API and waits for its end. */
  async function started(env: string, type: string, input?: Record<string, string>): Promise<OperationRun> {
    const res = await request(server())
      .post(`/api/v1/workspaces/contoso-msp/environments/${env}/operations`)
      .set(personas.auth('owner'))
      .send(input ? { type, input } : { type })
      .expect(202);
    return waitForCompletedRun(runs, res.body.run.id);
  }

  const count = async (sql: string, id: string) => (await t.db.query<{ n: number }>(sql, [id]))[0].n;
  const snapshotsOf = (profile: string) => count('select count(*)::int as n from baseline_snapshots where profile_id = $1', profile);
  const resultsOf = (profile: string) => count('select count(*)::int as n from baseline_compare_results where profile_id = $1', profile);

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web', 'worker'] });
    scope = await seedDemoScope(t);
    personas = await issueDemoTokens(t.db, scope);
    runs = t.get<OperationRunService>(OperationRunService);
    const owner = DEMO_USERS.find((u) => u.key === 'owner')!;
    ownerCookie = await signInAs(t, owner.email, scope.password);
    for (const [key, source] of [['hq', 'contoso-hq'], ['northwind', 'northwind']] as const) {
      const res = await request(server())
        .post('/api/v1/workspaces/contoso-msp/baselines')
        .set(personas.auth('owner'))
        .send({ name: `Evidence baseline ${key}`, source_environment: source })
        .expect(201);
      profiles[key] = res.body.id;
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  it('a capture of a source that never synced ends blocked, says what to do and writes no snapshot', async () => {
    const run = await started('northwind', 'baseline.capture', { baseline_id: profiles.northwind });

    expect(run.outcome).toBe('blocked');
    const body = (await api(`/api/v1/operations/${run.id}`).expect(200)).body;
    expect(body.failures).toEqual([{ code: 'inventory_not_synced', message: 'Run an inventory sync of Northwind Traders first.' }]);
    expect(body.related).toBeNull();
    expect(await snapshotsOf(profiles.northwind)).toBe(0);
    expect((await page(`/operations/${run.id}`).expect(200)).text).toContain('Run an inventory sync of Northwind Traders first.');
  });

  it('a compare into a target that never synced ends blocked and writes no result, also after a failed sync', async () => {
    expect((await started('contoso-hq', 'inventory.sync')).outcome).toBe('succeeded');
    expect((await started('contoso-hq', 'baseline.capture', { baseline_id: profiles.hq })).outcome).toBe('succeeded');
    // A sync that failed refreshed nothing provably: it does not count.
    await insertRunRow(t.db, {
      workspaceId: scope.workspaceId,
      environmentId: scope.environmentIds.fabrikam,
      type: 'inventory.sync',
      status: 'completed',
      outcome: 'failed',
    });

    const run = await started('fabrikam', 'baseline.compare', { baseline_id: profiles.hq });

    expect(run.outcome).toBe('blocked');
    expect(run.context.failures).toEqual([{ code: 'inventory_not_synced', message: 'Run an inventory sync of Fabrikam first.' }]);
    expect(await resultsOf(profiles.hq)).toBe(0);
  });

  it('once the target synced, the result, its run (page and API) and the review drift section state that sync time', async () => {
    const sync = await started('fabrikam', 'inventory.sync');
    expect(sync.outcome).toBe('succeeded');
    const syncedAt = sync.completedAt!;
    const shown = `Inventory synced ${formatInstant(syncedAt)}`;

    const compare = await started('fabrikam', 'baseline.compare', { baseline_id: profiles.hq });
    expect(compare.outcome).toBe('succeeded');
    const resultId = compare.context.related!.id;
    const [stored] = await t.db.query<{ inventory_synced_at: Date }>('select inventory_synced_at from baseline_compare_results where id = $1', [resultId]);
    expect(stored.inventory_synced_at).toEqual(syncedAt);

    const resultPage = (await page(`/w/contoso-msp/baselines/compare-results/${resultId}`).expect(200)).text;
    expect(resultPage).toMatch(new RegExp(`<dt>Inventory synced</dt><dd data-testid="inventory-synced">${escape(formatInstant(syncedAt))}</dd>`));

    const runDoc = (await api(`/api/v1/operations/${compare.id}`).expect(200)).body;
    expect(runDoc.related).toEqual({ type: 'baseline_compare_result', id: resultId, inventory_synced_at: syncedAt.toISOString() });
    expect((await page(`/operations/${compare.id}`).expect(200)).text).toContain(shown);

    const review = await started('fabrikam', 'environment.review.compose');
    expect(review.outcome).toBe('succeeded');
    const reviewId = review.context.related!.id;
    const reviewPath = `/w/contoso-msp/e/fabrikam/reviews/${reviewId}`;
    expect((await page(reviewPath).expect(200)).text).toContain(shown);
    const reviewDoc = (await api(`/api/v1/workspaces/contoso-msp/environments/fabrikam/reviews/${reviewId}`).expect(200)).body;
    const drift = reviewDoc.sections.find((s: { key: string }) => s.key === 'baseline_drift');
    expect(drift.data.compare_results).toEqual([expect.objectContaining({ id: resultId, inventory_synced_at: syncedAt.toISOString() })]);
    const markdown = (await api(`/api/v1/workspaces/contoso-msp/environments/fabrikam/reviews/${reviewId}.md`).expect(200)).text;
    expect(markdown).toContain(`inventory synced ${syncedAt.toISOString()}`);
  });

  it('a sync stored under a legacy alias counts, and a synced source with no items captures an empty snapshot', async () => {
    await insertRunRow(t.db, {
      workspaceId: scope.workspaceId,
      environmentId: scope.environmentIds.northwind,
      type: 'inventory_sync',
      status: 'completed',
      outcome: 'succeeded',
    });

    const run = await started('northwind', 'baseline.capture', { baseline_id: profiles.northwind });

    expect(run).toMatchObject({ outcome: 'succeeded', summaryCounts: { total: 0, processed: 0 } });
    expect(await snapshotsOf(profiles.northwind)).toBe(1);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
