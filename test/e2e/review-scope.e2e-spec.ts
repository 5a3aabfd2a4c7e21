import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { OperationRun } from '../../src/modules/operations/core/operation-run';
import { OperationRunService } from '../../src/modules/operations/core/operation-run.service';
import { DEMO_USERS } from '../../src/cli/demo-seed';
import { ApiPersonas, issueDemoTokens } from '../support/api-personas';
import { signInAs } from '../support/browser-session';
import { DemoScope, seedDemoScope } from '../support/seed';
import { startTestApp, TestApp, waitForCompletedRun } from '../support/test-app';

/**
 * Reviews never show a reader what derives from an environment they may not see (issue 14
 * item 11). The composer gathers every baseline compared against the environment; the operator
 * (contoso-hq + fabrikam) must read a review that also cites a northwind-sourced baseline exactly
 * as the review composed before that baseline existed — page, API and Markdown alike, fingerprint
 * included — and nothing may hint that something was left out.
 *
 * The hidden compare results are written as rows: a real compare would also add a baseline.compare
 * run to the target's operations health (a run of an environment the operator may see), and the
 * reference review must differ from the later one by the hidden baseline alone.
 */
describe('review scope: drift of hidden baselines', () => {
  let t: TestApp;
  let scope: DemoScope;
  let personas: ApiPersonas;
  let runs: OperationRunService;
  const cookies: Record<'owner' | 'operator', string> = { owner: '', operator: '' };
  const HIDDEN_NAME = 'Northwind secret baseline';
  const HIDDEN_KIND = 'northwindOnlyKind';
  const hiddenResults: Record<string, string> = {};
  /** Reviews per environment: before the hidden baseline existed, and after. */
  const before: Record<string, string> = {};
  const after: Record<string, string> = {};
  const server = () => t.app.getHttpServer();
  const api = (env: string) => `/api/v1/workspaces/contoso-msp/environments/${env}/reviews`;
  const pages = (env: string) => `/w/contoso-msp/e/${env}/reviews`;
  const asApi = (who: 'owner' | 'operator', path: string) => request(server()).get(path).set(personas.auth(who)).expect(200);
  const asPage = (who: 'owner' | 'operator', path: string) =>
    request(server()).get(path).set('Cookie', cookies[who]).set('Accept', 'text/html').expect(200);

  async function dispatch(env: string, type: string, input?: unknown): Promise<OperationRun> {
    const { run } = await runs.dispatch({ workspaceId: scope.workspaceId, environmentId: scope.environmentIds[env], type, input, initiatorUserId: null });
    const done = await waitForCompletedRun(runs, run.id);
    expect(done.outcome).toBe('succeeded');
    return done;
  }

  async function compose(env: string): Promise<string> {
    const res = await request(server())
      .post(`/api/v1/workspaces/contoso-msp/environments/${env}/operations`)
      .set(personas.auth('owner'))
      .send({ type: 'environment.review.compose' })
      .expect(202);
    const done = await waitForCompletedRun(runs, res.body.run.id);
    expect(done.outcome).toBe('succeeded');
    return (done.context.related as { id: string }).id;
  }

  /** A complete compare of the hidden baseline against `env`, with findings, as a compare would record it. */
  async function hiddenCompare(profileId: string, snapshotId: string, env: string): Promise<string> {
    const [result] = await t.db.query<{ id: string }>(
      `insert into baseline_compare_results (profile_id, snapshot_id, target_environment_id, run_id, status, findings_count, completed_at)
       values ($1, $2, $3, $4, 'complete', 3, now()) returning id`,
      [profileId, snapshotId, scope.environmentIds[env], randomUUID()],
    );
    for (const [n, type, kind] of [
      [1, 'missing_in_target', HIDDEN_KIND],
      [2, 'missing_in_target', HIDDEN_KIND],
      [3, 'setting_differs', 'deviceConfiguration'],
    ] as const) {
      await t.db.query(
        `insert into baseline_findings (compare_result_id, type, kind, external_id, display_name, pair_key)
         values ($1, $2, $3, $4, $4, $4)`,
        [result.id, type, kind, `hidden-${n}`],
      );
    }
    return result.id;
  }

  beforeAll(async () => {
    t = await startTestApp({ roles: ['web', 'worker'] });
    scope = await seedDemoScope(t);
    personas = await issueDemoTokens(t.db, scope);
    runs = t.get<OperationRunService>(OperationRunService);
    for (const who of ['owner', 'operator'] as const) {
      cookies[who] = await signInAs(t, DEMO_USERS.find((u) => u.key === who)!.email, scope.password);
    }
    for (const env of ['contoso-hq', 'fabrikam', 'northwind']) await dispatch(env, 'inventory.sync');
    const hq = await request(server())
      .post('/api/v1/workspaces/contoso-msp/baselines')
      .set(personas.auth('owner'))
      .send({ name: 'HQ baseline', source_environment: 'contoso-hq' })
      .expect(201);
    await dispatch('contoso-hq', 'baseline.capture', { baseline_id: hq.body.id });
    await dispatch('fabrikam', 'baseline.compare', { baseline_id: hq.body.id });
    for (const env of ['fabrikam', 'contoso-hq']) before[env] = await compose(env);

    const hidden = await request(server())
      .post('/api/v1/workspaces/contoso-msp/baselines')
      .set(personas.auth('owner'))
      .send({ name: HIDDEN_NAME, source_environment: 'northwind' })
      .expect(201);
    const [snapshot] = await t.db.query<{ id: string }>(
      `insert into baseline_snapshots (profile_id, run_id, status, completed_at) values ($1, $2, 'complete', now()) returning id`,
      [hidden.body.id, randomUUID()],
    );
    for (const env of ['fabrikam', 'contoso-hq']) {
      hiddenResults[env] = await hiddenCompare(hidden.body.id, snapshot.id, env);
      after[env] = await compose(env);
      expect(after[env]).not.toBe(before[env]);
    }
  });

  afterAll(async () => {
    await t?.close();
  });

  const leaks = (text: string) =>
    [HIDDEN_NAME, HIDDEN_KIND, ...Object.values(hiddenResults)].filter((needle) => text.includes(needle));

  it('the composer did gather the hidden baseline: a reader who sees northwind reads it', async () => {
    const review = (await asApi('owner', `${api('fabrikam')}/${after.fabrikam}`)).body;
    const drift = review.sections.find((s: { key: string }) => s.key === 'baseline_drift');
    expect(drift.data.compare_results.map((r: { baseline_name: string }) => r.baseline_name)).toEqual(['HQ baseline', HIDDEN_NAME]);
    expect(leaks(JSON.stringify(review))).toEqual([HIDDEN_NAME, HIDDEN_KIND, hiddenResults.fabrikam]);
  });

  it.each(['fabrikam', 'contoso-hq'])('API: the operator reads the %s review as the one composed before the hidden baseline', async (env) => {
    const seen = (await asApi('operator', `${api(env)}/${after[env]}`)).body;
    const reference = (await asApi('owner', `${api(env)}/${before[env]}`)).body;
    expect(seen.sections).toEqual(reference.sections);
    expect(seen.fingerprint).toBe(reference.fingerprint);
    expect(leaks(JSON.stringify(seen))).toEqual([]);
    const owners = (await asApi('owner', `${api(env)}/${after[env]}`)).body;
    expect(owners.fingerprint).not.toBe(reference.fingerprint);
  });

  it('API list: the operator gets the fingerprints a compose without the hidden baseline gives', async () => {
    const list = (await asApi('operator', api('fabrikam'))).body.items as { id: string; fingerprint: string }[];
    const reference = (await asApi('owner', `${api('fabrikam')}/${before.fabrikam}`)).body.fingerprint;
    expect(list.map((r) => r.id)).toEqual([after.fabrikam, before.fabrikam]);
    expect(list.map((r) => r.fingerprint)).toEqual([reference, reference]);
    expect(leaks(JSON.stringify(list))).toEqual([]);
  });

  /** The document from its first section on: the header names the review's own status and times. */
  const sectionsOf = (markdown: string) => markdown.slice(markdown.indexOf('\n## '));

  it.each(['fabrikam', 'contoso-hq'])('Markdown (API and page download) of %s: the same sections as the earlier review', async (env) => {
    const reference = sectionsOf((await asApi('owner', `${api(env)}/${before[env]}.md`)).text);
    for (const markdown of [
      (await asApi('operator', `${api(env)}/${after[env]}.md`)).text,
      (await asPage('operator', `${pages(env)}/${after[env]}.md`)).text,
    ]) {
      expect(sectionsOf(markdown)).toBe(reference);
      expect(leaks(markdown)).toEqual([]);
    }
  });

  const sectionsHtml = (html: string) => html.match(/<section class="review-section[\s\S]*?<\/section>/g) ?? [];
  const fingerprintHtml = (html: string) => /<code>([0-9a-f]{64})<\/code>/.exec(html)?.[1];

  it.each(['fabrikam', 'contoso-hq'])('page of the %s review: the same sections and fingerprint as the earlier review', async (env) => {
    const seen = (await asPage('operator', `${pages(env)}/${after[env]}`)).text;
    const reference = (await asPage('owner', `${pages(env)}/${before[env]}`)).text;
    expect(sectionsHtml(seen)).toHaveLength(3);
    expect(sectionsHtml(seen)).toEqual(sectionsHtml(reference));
    expect(fingerprintHtml(seen)).toBe(fingerprintHtml(reference));
    expect(leaks(seen)).toEqual([]);
  });
});
